/**
 * A chronological split of `n` time steps: train = [0, trainEnd), validation = [trainEnd, valEnd),
 * test = [valEnd, n). Nothing is shuffled: every validation step comes after every training step
 * and every test step after every validation step.
 */
export interface Split {
  n: number;
  trainEnd: number;
  valEnd: number;
}

export interface SplitOptions {
  /** Share of the steps held out at the end as the test part (default 0.2). */
  testFraction?: number;
  /** Share of the steps just before the test part used for early stopping (default 0.12). */
  valFraction?: number;
}

export function chronologicalSplit(n: number, opts: SplitOptions = {}): Split {
  const test = opts.testFraction ?? 0.2;
  const val = opts.valFraction ?? 0.12;
  if (!(test > 0 && val > 0 && test + val < 1)) {
    throw new Error(
      `chronologicalSplit: testFraction and valFraction must be > 0 with a sum < 1, received ${test} and ${val}`,
    );
  }
  const valEnd = n - Math.round(n * test);
  const trainEnd = valEnd - Math.round(n * val);
  if (trainEnd < 2 || valEnd - trainEnd < 1 || n - valEnd < 1) {
    throw new Error(
      `chronologicalSplit: a series of ${n} steps is too short to split into train/validation/test`,
    );
  }
  return { n, trainEnd, valEnd };
}

/** The [start, end) step range of a part. */
export function partRange(s: Split, part: 'train' | 'val' | 'test'): [number, number] {
  return part === 'train' ? [0, s.trainEnd] : part === 'val' ? [s.trainEnd, s.valEnd] : [s.valEnd, s.n];
}
