import { fail } from './errors.js';
import { checkNonEmpty, checkSameLength, toLabelList, toLabels, uniqueSorted, type Vector } from './input.js';

export interface ConfusionMatrixOptions {
  /**
   * Row/column order (scikit-learn's `labels`). Samples whose true or predicted label is not listed
   * are dropped, and at least one listed label must occur in yTrue.
   */
  labels?: Vector;
  /**
   * Shorthand for labels 0..numClasses-1 that also checks the data: a label outside that range throws
   * (a model/label-count mismatch is a bug, not something to drop silently).
   */
  numClasses?: number;
}

/**
 * C[i][j] = number of samples with true label i predicted as j (rows = true, columns = predicted);
 * scikit-learn's confusion_matrix. Labels default to the sorted labels present in yTrue or yPred.
 */
export function confusionMatrix(
  yTrue: Vector,
  yPred: Vector,
  options: ConfusionMatrixOptions = {},
): number[][] {
  const fn = 'confusionMatrix';
  const t = toLabels(fn, 'yTrue', yTrue);
  const p = toLabels(fn, 'yPred', yPred);
  checkSameLength(fn, 'yTrue', t, 'yPred', p);
  if (options.labels !== undefined && options.numClasses !== undefined) {
    fail(fn, 'pass labels or numClasses, not both');
  }
  if (options.numClasses !== undefined) {
    const c = options.numClasses;
    if (!Number.isInteger(c) || c < 1) fail(fn, `numClasses must be a positive integer, received ${c}`);
    const cm = zeros(c);
    for (let i = 0; i < t.length; i++) {
      const a = t[i]!;
      const b = p[i]!;
      if (a < 0 || a >= c) fail(fn, `yTrue[${i}] is ${a}; expected a label in [0, ${c}) for numClasses=${c}`);
      if (b < 0 || b >= c) fail(fn, `yPred[${i}] is ${b}; expected a label in [0, ${c}) for numClasses=${c}`);
      cm[a]![b]!++;
    }
    return cm;
  }
  let labels: number[];
  if (options.labels !== undefined) {
    labels = toLabelList(fn, options.labels);
    if (t.length === 0) return zeros(labels.length);
    const set = new Set(labels);
    if (!t.some((v) => set.has(v)))
      fail(fn, `at least one of labels [${labels.join(',')}] must occur in yTrue`);
  } else {
    checkNonEmpty(fn, 'yTrue', t);
    labels = uniqueSorted(t, p);
  }
  const index = new Map<number, number>(labels.map((l, i) => [l, i]));
  const cm = zeros(labels.length);
  for (let i = 0; i < t.length; i++) {
    const a = index.get(t[i]!);
    const b = index.get(p[i]!);
    if (a !== undefined && b !== undefined) cm[a]![b]!++;
  }
  return cm;
}

function zeros(n: number): number[][] {
  return Array.from({ length: n }, () => new Array<number>(n).fill(0));
}
