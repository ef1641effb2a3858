import { fail } from './errors.js';
import { checkNonEmpty, checkSameLength, toLabelList, toLabels, uniqueSorted, type Vector } from './input.js';

/**
 * How per-class scores are combined (scikit-learn's `average`; `'none'` is its `None`):
 * - `'binary'` (default, like scikit-learn): the score of `posLabel` only; throws for multi-class targets.
 * - `'micro'`: from the summed counts of all labels.
 * - `'macro'`: unweighted mean over labels.
 * - `'weighted'`: mean weighted by each label's support (count in yTrue).
 * - `'none'`: one score per label, in `labels` order (sorted labels by default).
 */
export type Average = 'binary' | 'micro' | 'macro' | 'weighted' | 'none';

export interface PrfOptions {
  /** Default `'binary'` like scikit-learn; multi-class targets need `'micro' | 'macro' | 'weighted' | 'none'`. */
  average?: Average;
  /**
   * Labels to score, in this order (default: sorted labels present in yTrue or yPred). Like scikit-learn,
   * samples whose labels are not listed still count as false positives/negatives of the listed ones.
   * Ignored when average is `'binary'`.
   */
  labels?: Vector;
  /** The positive class when average is `'binary'` (default 1); ignored otherwise. */
  posLabel?: number;
  /**
   * Value for a ratio whose denominator is 0 (a label never predicted → precision; a label absent
   * from yTrue → recall). scikit-learn's zero_division; its default 'warn' gives 0 with a warning,
   * here the default is 0 and nothing is printed.
   */
  zeroDivision?: 0 | 1;
}

/** Per-label counts the precision/recall/F1 family is computed from. */
export interface LabelCounts {
  tp: number[];
  predSum: number[];
  trueSum: number[];
}

export interface PrfValues<T> {
  precision: T;
  recall: T;
  f1: T;
}

const AVERAGES: readonly Average[] = ['binary', 'micro', 'macro', 'weighted', 'none'];

function divide(num: readonly number[], den: readonly number[], zeroDivision: number): number[] {
  return num.map((v, i) => (den[i] === 0 ? zeroDivision : v / den[i]!));
}

function mean(v: readonly number[]): number {
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

function weightedMean(v: readonly number[], w: readonly number[], wSum: number): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * w[i]!;
  return s / wSum;
}

/** Per-label precision, recall and F1 (scikit-learn's precision_recall_fscore_support with beta = 1). */
export function prfPerLabel(c: LabelCounts, zeroDivision: 0 | 1): PrfValues<number[]> {
  const precision = divide(c.tp, c.predSum, zeroDivision);
  const recall = divide(c.tp, c.trueSum, zeroDivision);
  const f1 = precision.map((p, i) => {
    const r = recall[i]!;
    const denom = p + r === 0 ? 1 : p + r;
    return (2 * p * r) / denom;
  });
  return { precision, recall, f1 };
}

/** Combines per-label counts with one averaging rule; 'binary' expects exactly one label. */
export function prfFromCounts(
  c: LabelCounts,
  average: Exclude<Average, 'none'>,
  zeroDivision: 0 | 1,
): PrfValues<number>;
export function prfFromCounts(c: LabelCounts, average: 'none', zeroDivision: 0 | 1): PrfValues<number[]>;
export function prfFromCounts(
  c: LabelCounts,
  average: Average,
  zeroDivision: 0 | 1,
): PrfValues<number | number[]>;
export function prfFromCounts(
  c: LabelCounts,
  average: Average,
  zeroDivision: 0 | 1,
): PrfValues<number | number[]> {
  if (average === 'micro') {
    const total = (a: number[]) => [a.reduce((s, x) => s + x, 0)];
    const r = prfPerLabel(
      { tp: total(c.tp), predSum: total(c.predSum), trueSum: total(c.trueSum) },
      zeroDivision,
    );
    return { precision: r.precision[0]!, recall: r.recall[0]!, f1: r.f1[0]! };
  }
  const r = prfPerLabel(c, zeroDivision);
  if (average === 'none') return r;
  if (average === 'binary') return { precision: r.precision[0]!, recall: r.recall[0]!, f1: r.f1[0]! };
  if (average === 'macro') return { precision: mean(r.precision), recall: mean(r.recall), f1: mean(r.f1) };
  // weighted by support; with no support at all scikit-learn returns these fixed values
  const wSum = c.trueSum.reduce((s, x) => s + x, 0);
  if (wSum === 0) {
    const predTotal = c.predSum.reduce((s, x) => s + x, 0);
    return predTotal === 0
      ? { precision: zeroDivision, recall: zeroDivision, f1: zeroDivision }
      : { precision: 0, recall: zeroDivision, f1: 0 };
  }
  return {
    precision: weightedMean(r.precision, c.trueSum, wSum),
    recall: weightedMean(r.recall, c.trueSum, wSum),
    f1: weightedMean(r.f1, c.trueSum, wSum),
  };
}

/** Validates inputs, resolves labels like scikit-learn's _check_set_wise_labels and counts per label. */
function countLabels(
  fn: string,
  yTrue: Vector,
  yPred: Vector,
  options: PrfOptions,
): { counts: LabelCounts; average: Average } {
  const average = options.average ?? 'binary';
  if (!AVERAGES.includes(average))
    fail(
      fn,
      `average must be one of ${AVERAGES.map((a) => `'${a}'`).join(', ')}, received ${String(average)}`,
    );
  const zd = options.zeroDivision ?? 0;
  if (zd !== 0 && zd !== 1) fail(fn, `zeroDivision must be 0 or 1, received ${String(zd)}`);
  const t = toLabels(fn, 'yTrue', yTrue);
  const p = toLabels(fn, 'yPred', yPred);
  checkSameLength(fn, 'yTrue', t, 'yPred', p);
  checkNonEmpty(fn, 'yTrue', t);
  const present = uniqueSorted(t, p);
  let labels: number[];
  if (average === 'binary') {
    if (present.length > 2) {
      fail(
        fn,
        `target is multi-class (labels [${present.join(',')}]) but average is 'binary' (the default, like scikit-learn); pass average: 'micro', 'macro', 'weighted' or 'none'`,
      );
    }
    const pos = options.posLabel ?? 1;
    if (!present.includes(pos) && present.length >= 2) {
      fail(fn, `posLabel=${pos} is not a valid label; expected one of [${present.join(',')}]`);
    }
    labels = [pos];
  } else {
    labels = options.labels === undefined ? present : toLabelList(fn, options.labels);
  }
  const index = new Map<number, number>(labels.map((l, i) => [l, i]));
  const counts: LabelCounts = {
    tp: new Array<number>(labels.length).fill(0),
    predSum: new Array<number>(labels.length).fill(0),
    trueSum: new Array<number>(labels.length).fill(0),
  };
  for (let i = 0; i < t.length; i++) {
    const ti = index.get(t[i]!);
    const pi = index.get(p[i]!);
    if (ti !== undefined) {
      counts.trueSum[ti]!++;
      if (t[i] === p[i]) counts.tp[ti]!++;
    }
    if (pi !== undefined) counts.predSum[pi]!++;
  }
  return { counts, average };
}

function prf(fn: string, yTrue: Vector, yPred: Vector, options: PrfOptions): PrfValues<number | number[]> {
  const { counts, average } = countLabels(fn, yTrue, yPred, options);
  return prfFromCounts(counts, average, options.zeroDivision ?? 0);
}

/** Fraction of samples whose label is predicted exactly (count when `normalize` is false); scikit-learn's accuracy_score. */
export function accuracy(yTrue: Vector, yPred: Vector, options: { normalize?: boolean } = {}): number {
  const t = toLabels('accuracy', 'yTrue', yTrue);
  const p = toLabels('accuracy', 'yPred', yPred);
  checkSameLength('accuracy', 'yTrue', t, 'yPred', p);
  checkNonEmpty('accuracy', 'yTrue', t);
  let hits = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) hits++;
  return options.normalize === false ? hits : hits / t.length;
}

/** tp / (tp + fp); scikit-learn's precision_score. `average: 'none'` returns one value per label. */
export function precision(yTrue: Vector, yPred: Vector, options: PrfOptions & { average: 'none' }): number[];
export function precision(
  yTrue: Vector,
  yPred: Vector,
  options?: PrfOptions & { average?: Exclude<Average, 'none'> },
): number;
export function precision(yTrue: Vector, yPred: Vector, options: PrfOptions): number | number[];
export function precision(yTrue: Vector, yPred: Vector, options: PrfOptions = {}): number | number[] {
  return prf('precision', yTrue, yPred, options).precision;
}

/** tp / (tp + fn); scikit-learn's recall_score. `average: 'none'` returns one value per label. */
export function recall(yTrue: Vector, yPred: Vector, options: PrfOptions & { average: 'none' }): number[];
export function recall(
  yTrue: Vector,
  yPred: Vector,
  options?: PrfOptions & { average?: Exclude<Average, 'none'> },
): number;
export function recall(yTrue: Vector, yPred: Vector, options: PrfOptions): number | number[];
export function recall(yTrue: Vector, yPred: Vector, options: PrfOptions = {}): number | number[] {
  return prf('recall', yTrue, yPred, options).recall;
}

/**
 * Harmonic mean of precision and recall; scikit-learn's f1_score. A label whose precision and recall
 * are both 0 has F1 0; with `average: 'macro'` F1 is the mean of per-label F1s (not F1 of the means).
 */
export function f1(yTrue: Vector, yPred: Vector, options: PrfOptions & { average: 'none' }): number[];
export function f1(
  yTrue: Vector,
  yPred: Vector,
  options?: PrfOptions & { average?: Exclude<Average, 'none'> },
): number;
export function f1(yTrue: Vector, yPred: Vector, options: PrfOptions): number | number[];
export function f1(yTrue: Vector, yPred: Vector, options: PrfOptions = {}): number | number[] {
  return prf('f1', yTrue, yPred, options).f1;
}
