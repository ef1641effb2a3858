import { defaultGenerator, type Generator, randperm } from '@tsdl/tensor';
import { type Dataset, Subset } from './dataset.js';
import { fail } from './errors.js';

/**
 * Splits `dataset` into non-overlapping random subsets, like `torch.utils.data.random_split`.
 * `lengths` are either counts summing to the dataset's length, or fractions summing to 1: each
 * gets `floor(n * f)` and the remainder is dealt one by one from the first subset on.
 */
export function randomSplit<T>(
  dataset: Dataset<T>,
  lengths: readonly number[],
  options: { generator?: Generator } = {},
): Subset<T>[] {
  const n = dataset.length;
  const total = lengths.reduce((a, b) => a + b, 0);
  let counts: number[];
  if (lengths.some((l) => !Number.isFinite(l) || l < 0)) {
    fail('randomSplit', `lengths must be non-negative numbers, received [${lengths.join(', ')}]`);
  }
  if (Math.abs(total - 1) < 1e-9 && total !== n) {
    counts = lengths.map((f) => Math.floor(n * f));
    let rest = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i]!++;
  } else {
    if (!lengths.every(Number.isInteger)) {
      fail(
        'randomSplit',
        `lengths must be integers or fractions summing to 1, received [${lengths.join(', ')}]`,
      );
    }
    if (total !== n) {
      fail('randomSplit', `sum of lengths (${total}) does not equal the dataset length (${n})`);
    }
    counts = [...lengths];
  }
  const perm = randperm(n, { generator: options.generator ?? defaultGenerator }).data as Int32Array;
  const out: Subset<T>[] = [];
  let start = 0;
  for (const c of counts) {
    out.push(new Subset(dataset, perm.subarray(start, start + c)));
    start += c;
  }
  return out;
}
