// Generated stand-ins for CIFAR-10 (tests only): learnable 32×32 RGB images written in the real
// binary batch format or as an image folder, so every reader and the training loop run on real files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Generator } from '@tsdl/tensor';
import jpeg from 'jpeg-js';
import { type CifarSet, CLASSES, PIXELS, TEST_BATCH, TRAIN_BATCHES } from '../dataset.js';
import { encodePng } from '../image.js';

const PALETTE = [
  [200, 60, 60],
  [60, 200, 60],
  [60, 60, 200],
  [200, 200, 60],
  [200, 60, 200],
  [60, 200, 200],
  [230, 140, 40],
  [120, 120, 120],
  [40, 40, 40],
  [240, 240, 240],
];

/**
 * `n` images with labels cycling 0..9: a class colour, stripes whose frequency and direction depend on
 * the class, and uniform noise of ±`noise` — separable, but only by looking at colour and texture.
 */
export function makeFixtureSet(n: number, seed: number, noise = 50): CifarSet {
  const g = new Generator(seed);
  const images = new Uint8Array(n * PIXELS);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 10;
    labels[i] = c;
    const freq = (c % 5) + 1;
    const phase = g.random() * Math.PI * 2;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const t = c < 5 ? y : x;
        const stripe = 50 * Math.sin((t * freq * Math.PI) / 16 + phase);
        for (let ch = 0; ch < 3; ch++) {
          const v = PALETTE[c]![ch]! * 0.6 + stripe + (g.random() * 2 - 1) * noise + 40;
          images[i * PIXELS + ch * 1024 + y * 32 + x] = Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
  }
  return { images, labels, count: n };
}

/** The set as one CIFAR-10 binary batch: per record 1 label byte + 3072 pixel bytes (R, G, B planes). */
export function toBinaryBatch(set: CifarSet): Uint8Array {
  const out = new Uint8Array(set.count * (1 + PIXELS));
  for (let i = 0; i < set.count; i++) {
    out[i * (1 + PIXELS)] = set.labels[i]!;
    out.set(set.images.subarray(i * PIXELS, (i + 1) * PIXELS), i * (1 + PIXELS) + 1);
  }
  return out;
}

/** Writes `dir/cifar-10-batches-bin/` with `train` split over the five batches and `test` as the test batch. */
export function writeBinaryDir(dir: string, train: CifarSet, test: CifarSet): string {
  const bin = join(dir, 'cifar-10-batches-bin');
  mkdirSync(bin, { recursive: true });
  const per = Math.ceil(train.count / 5);
  TRAIN_BATCHES.forEach((f, k) => {
    const lo = Math.min(train.count, k * per);
    const hi = Math.min(train.count, (k + 1) * per);
    const part = {
      images: train.images.subarray(lo * PIXELS, hi * PIXELS),
      labels: train.labels.subarray(lo, hi),
      count: hi - lo,
    };
    writeFileSync(join(bin, f), toBinaryBatch(part));
  });
  writeFileSync(join(bin, TEST_BATCH), toBinaryBatch(test));
  return bin;
}

/** CHW bytes → JPEG bytes (quality 95). */
export function encodeJpeg(chw: Uint8Array, width = 32, height = 32, quality = 95): Uint8Array {
  const n = width * height;
  const data = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) data[i * 4 + c] = chw[c * n + i]!;
    data[i * 4 + 3] = 255;
  }
  return jpeg.encode({ data, width, height }, quality).data;
}

/** Writes `dir/<split>/<class>/NNNN.png|jpg` (alternating formats unless `ext` is given). */
export function writeImageFolder(dir: string, split: string, set: CifarSet, ext?: 'png' | 'jpg'): void {
  for (const c of CLASSES) mkdirSync(join(dir, split, c), { recursive: true });
  for (let i = 0; i < set.count; i++) {
    const img = set.images.subarray(i * PIXELS, (i + 1) * PIXELS);
    const e = ext ?? (i % 2 === 0 ? 'png' : 'jpg');
    const name = join(dir, split, CLASSES[set.labels[i]!]!, `${String(i).padStart(4, '0')}.${e}`);
    writeFileSync(name, e === 'png' ? encodePng(img) : encodeJpeg(img));
  }
}
