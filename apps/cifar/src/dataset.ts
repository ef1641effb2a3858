import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCifarBinary } from '@tsdl/data';
import { Generator, randperm } from '@tsdl/tensor';
import { decodeImage, toCifar } from './image.js';

/** CIFAR-10 class names in label order (also the sorted folder names of the image-folder layout). */
export const CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;
export const PIXELS = 3 * 32 * 32;

/** Images as raw bytes, CHW per image (1024 red, 1024 green, 1024 blue), like the binary batches. */
export interface CifarSet {
  images: Uint8Array;
  labels: Int32Array;
  count: number;
}

export const TRAIN_BATCHES = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
];
export const TEST_BATCH = 'test_batch.bin';

/** Concatenates CIFAR-10 binary batches (already read as bytes) into one set. */
export function fromBinaryBatches(batches: Uint8Array[]): CifarSet {
  const parts = batches.map((b) => readCifarBinary(b));
  const count = parts.reduce((n, p) => n + p.labels.shape[0]!, 0);
  const images = new Uint8Array(count * PIXELS);
  const labels = new Int32Array(count);
  let at = 0;
  for (const p of parts) {
    const n = p.labels.shape[0]!;
    images.set(p.images.toTypedArray(), at * PIXELS); // values are 0..255, exact in a Uint8Array
    labels.set(p.labels.toTypedArray(), at);
    at += n;
  }
  return { images, labels, count };
}

/** Where the binary batches are: DIR itself or DIR/cifar-10-batches-bin (what the archive unpacks to). */
function binaryDir(dir: string): string | null {
  for (const d of [dir, join(dir, 'cifar-10-batches-bin')]) if (existsSync(join(d, TEST_BATCH))) return d;
  return null;
}

function isImageFolder(dir: string): boolean {
  return ['train', 'test'].every((s) => existsSync(join(dir, s)) && statSync(join(dir, s)).isDirectory());
}

/** Whether `dir` holds CIFAR-10 in a layout `loadCifar` reads. */
export function hasCifar(dir: string): boolean {
  return existsSync(dir) && (binaryDir(dir) !== null || isImageFolder(dir));
}

const IMAGE_EXT = /\.(jpe?g|png)$/i;

/**
 * Reads one split of an ImageFolder layout (`<split>/<class>/*.jpg|png`): classes are the sorted
 * sub-folder names (as torchvision does), files are read in sorted order, any size is resized to 32×32.
 */
export function readImageFolder(
  dir: string,
  opts: { classes?: readonly string[]; limit?: number; seed?: number } = {},
): CifarSet {
  const classes = opts.classes ?? CLASSES;
  const found = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const unknown = found.filter((c) => !classes.includes(c));
  if (unknown.length > 0)
    throw new Error(
      `readImageFolder: ${dir} has class folders [${unknown.join(', ')}] that are not CIFAR-10 classes [${classes.join(', ')}]`,
    );
  let files: { path: string; label: number }[] = [];
  for (const c of found) {
    const label = classes.indexOf(c);
    for (const f of readdirSync(join(dir, c))
      .filter((f) => IMAGE_EXT.test(f))
      .sort())
      files.push({ path: join(dir, c, f), label });
  }
  if (files.length === 0) throw new Error(`readImageFolder: no .jpg/.png images under ${dir}/<class>/`);
  if (opts.limit !== undefined && opts.limit < files.length) {
    // A seeded random subset, chosen before decoding so that only those files are read.
    const perm = randperm(files.length, { generator: new Generator(opts.seed ?? 0) }).data as Int32Array;
    const keep = Array.from(perm.subarray(0, opts.limit)).sort((a, b) => a - b);
    const all = files;
    files = keep.map((i) => all[i]!);
  }
  const images = new Uint8Array(files.length * PIXELS);
  const labels = new Int32Array(files.length);
  files.forEach((f, i) => {
    try {
      images.set(toCifar(decodeImage(readFileSync(f.path))), i * PIXELS);
    } catch (e) {
      throw new Error(`readImageFolder: ${f.path}: ${(e as Error).message}`);
    }
    labels[i] = f.label;
  });
  return { images, labels, count: files.length };
}

/** Train and test sets from the binary batches or an image folder (detected from what `dir` holds). */
export function loadCifar(
  dir: string,
  limits: { train?: number; test?: number; seed?: number } = {},
): { train: CifarSet; test: CifarSet; format: 'binary' | 'image-folder'; source: string } {
  const bin = binaryDir(dir);
  if (bin) {
    const missing = TRAIN_BATCHES.filter((f) => !existsSync(join(bin, f)));
    if (missing.length > 0)
      throw new Error(`loadCifar: ${bin} has ${TEST_BATCH} but lacks ${missing.join(', ')}`);
    const limit = (set: CifarSet, n: number | undefined, seed: number) =>
      n !== undefined && n < set.count ? randomSubset(set, n, seed) : set;
    return {
      train: limit(
        fromBinaryBatches(TRAIN_BATCHES.map((f) => readFileSync(join(bin, f)))),
        limits.train,
        limits.seed ?? 0,
      ),
      test: limit(
        fromBinaryBatches([readFileSync(join(bin, TEST_BATCH))]),
        limits.test,
        (limits.seed ?? 0) + 1,
      ),
      format: 'binary',
      source: resolve(bin),
    };
  }
  if (isImageFolder(dir)) {
    const seed = limits.seed ?? 0;
    return {
      train: readImageFolder(join(dir, 'train'), { limit: limits.train, seed }),
      test: readImageFolder(join(dir, 'test'), { limit: limits.test, seed: seed + 1 }),
      format: 'image-folder',
      source: resolve(dir),
    };
  }
  throw new Error(
    `loadCifar: ${dir} holds neither cifar-10-batches-bin (data_batch_1..5.bin, test_batch.bin) nor train/<class>/ and test/<class>/ image folders`,
  );
}

/** The images at `indices`, in that order. */
export function subset(set: CifarSet, indices: ArrayLike<number>): CifarSet {
  const n = indices.length;
  const images = new Uint8Array(n * PIXELS);
  const labels = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const i = indices[j]!;
    images.set(set.images.subarray(i * PIXELS, (i + 1) * PIXELS), j * PIXELS);
    labels[j] = set.labels[i]!;
  }
  return { images, labels, count: n };
}

/** A seeded random subset of `n` images (all of them, shuffled, when n ≥ count). */
export function randomSubset(set: CifarSet, n: number, seed: number): CifarSet {
  const perm = randperm(set.count, { generator: new Generator(seed) }).data as Int32Array;
  return subset(set, perm.subarray(0, Math.min(n, set.count)));
}
