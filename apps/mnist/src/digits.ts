import { Generator, randperm } from '@tsdl/tensor';

// Digit sets as flat arrays (pure: shared by the CLI and the browser worker).

/** Images as float32 pixels in [0, 1], row-major [n, 784], and int32 labels. */
export interface DigitSet {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

export const PIXELS = 784;

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
export function splitDigits(
  set: DigitSet,
  testCount: number,
  seed: number,
): { train: DigitSet; test: DigitSet } {
  if (testCount >= set.count)
    throw new Error(`split: testCount ${testCount} must be below the ${set.count} digits`);
  const perm = randperm(set.count, { generator: new Generator(seed) }).data as Int32Array;
  return { test: subset(set, perm.subarray(0, testCount)), train: subset(set, perm.subarray(testCount)) };
}
