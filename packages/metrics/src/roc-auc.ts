import { fail, fmtShape } from './errors.js';
import {
  checkNonEmpty,
  type Matrix,
  toDense,
  toLabelList,
  toLabels,
  uniqueSorted,
  type Vector,
} from './input.js';

export interface RocAucOptions {
  /** Only one-vs-rest is implemented; it is also the default (scikit-learn's default 'raise' makes you choose). */
  multiClass?: 'ovr';
  /** How one-vs-rest AUCs are combined (default `'macro'`); `'none'` returns one AUC per class. Ignored for binary. */
  average?: 'macro' | 'weighted' | 'micro' | 'none';
  /** Classes of the score columns, ascending (default: the sorted labels of yTrue, one per column). */
  labels?: Vector;
}

/**
 * Area under the ROC curve from positives `truth` (1/0) and `scores`, as scikit-learn computes it:
 * one ROC point per distinct score (tied scores move together, which draws a diagonal segment),
 * then the trapezoidal rule. All-equal scores give 0.5.
 */
function binaryAuc(fn: string, truth: Uint8Array, scores: Float64Array, what: string): number {
  const n = scores.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += truth[i]!;
  if (pos === 0 || pos === n) {
    fail(fn, `only one class present in yTrue${what}; ROC AUC is not defined in that case`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const fps: number[] = [0];
  const tps: number[] = [0];
  let tp = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    tp += truth[i]!;
    // close a threshold at the last sample of each run of equal scores
    if (r === n - 1 || scores[order[r + 1]!] !== scores[i]) {
      tps.push(tp);
      fps.push(r + 1 - tp);
    }
  }
  const fpTotal = fps[fps.length - 1]!;
  const tpTotal = tps[tps.length - 1]!;
  let area = 0;
  for (let k = 1; k < fps.length; k++) {
    const dx = fps[k]! / fpTotal - fps[k - 1]! / fpTotal;
    area += (dx * (tps[k]! / tpTotal + tps[k - 1]! / tpTotal)) / 2;
  }
  return area;
}

/**
 * ROC AUC (scikit-learn's roc_auc_score). Binary: 1-d `yScore` (score of the positive class, the
 * greater of the two labels in yTrue). Multi-class: `yScore` [n, C] with one column per class in
 * sorted label order, one-vs-rest. Unlike scikit-learn, rows need not sum to 1 (any scores work);
 * with probabilities the values are scikit-learn's.
 */
export function rocAuc(
  yTrue: Vector,
  yScore: Vector | Matrix,
  options: RocAucOptions & { average: 'none' },
): number | number[];
export function rocAuc(
  yTrue: Vector,
  yScore: Vector | Matrix,
  options?: RocAucOptions & { average?: 'macro' | 'weighted' | 'micro' },
): number;
export function rocAuc(yTrue: Vector, yScore: Vector | Matrix, options: RocAucOptions): number | number[];
export function rocAuc(
  yTrue: Vector,
  yScore: Vector | Matrix,
  options: RocAucOptions = {},
): number | number[] {
  const fn = 'rocAuc';
  const t = toLabels(fn, 'yTrue', yTrue);
  checkNonEmpty(fn, 'yTrue', t);
  const s = toDense(fn, 'yScore', yScore);
  if (s.shape[0] !== t.length) {
    fail(
      fn,
      `yScore has ${s.shape[0]} rows but yTrue has ${t.length} samples; expected shape [${t.length}] or [${t.length},C], received ${fmtShape(s.shape)}`,
    );
  }
  const average = options.average ?? 'macro';
  if (!['macro', 'weighted', 'micro', 'none'].includes(average)) {
    fail(fn, `average must be 'macro', 'weighted', 'micro' or 'none', received ${String(average)}`);
  }
  if (s.shape.length === 1 || s.shape[1] === 1) {
    const classes = uniqueSorted(t);
    if (classes.length > 2) {
      fail(
        fn,
        `yTrue has ${classes.length} classes [${classes.join(',')}] but yScore is 1-d; pass scores of shape [${t.length},${classes.length}] for one-vs-rest`,
      );
    }
    const positive = classes[classes.length - 1]!;
    const truth = Uint8Array.from(t, (v) => (v === positive ? 1 : 0));
    return binaryAuc(fn, truth, s.data, classes.length === 1 ? ` (only label ${positive})` : '');
  }
  if (options.multiClass !== undefined && options.multiClass !== 'ovr') {
    fail(
      fn,
      `multiClass must be 'ovr' (one-vs-one is not implemented), received ${String(options.multiClass)}`,
    );
  }
  const nClasses = s.shape[1];
  let classes: number[];
  if (options.labels !== undefined) {
    classes = toLabelList(fn, options.labels);
    for (let i = 1; i < classes.length; i++) {
      if (classes[i]! < classes[i - 1]!)
        fail(fn, `labels must be in ascending order, received [${classes.join(',')}]`);
    }
    if (classes.length !== nClasses)
      fail(
        fn,
        `labels has ${classes.length} classes but yScore has ${nClasses} columns; expected ${nClasses}`,
      );
    const known = new Set(classes);
    const stray = t.find((v) => !known.has(v));
    if (stray !== undefined)
      fail(fn, `yTrue contains label ${stray}, which is not in labels [${classes.join(',')}]`);
  } else {
    classes = uniqueSorted(t);
    if (classes.length !== nClasses) {
      fail(
        fn,
        `yTrue has ${classes.length} classes [${classes.join(',')}] but yScore has ${nClasses} columns; expected equal (pass labels when a class is absent)`,
      );
    }
  }
  const n = t.length;
  if (average === 'micro') {
    // every (sample, class) cell is one binary decision
    const truth = new Uint8Array(n * nClasses);
    for (let i = 0; i < n; i++) truth[i * nClasses + classes.indexOf(t[i]!)] = 1;
    return binaryAuc(fn, truth, s.data, '');
  }
  const aucs: number[] = [];
  const support: number[] = [];
  for (let c = 0; c < nClasses; c++) {
    const truth = Uint8Array.from(t, (v) => (v === classes[c] ? 1 : 0));
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = s.data[i * nClasses + c]!;
    support.push(truth.reduce((a, b) => a + b, 0));
    aucs.push(binaryAuc(fn, truth, col, ` for class ${classes[c]} (one-vs-rest)`));
  }
  if (average === 'none') return aucs;
  if (average === 'macro') return aucs.reduce((a, b) => a + b, 0) / nClasses;
  let num = 0;
  let den = 0;
  for (let c = 0; c < nClasses; c++) {
    num += aucs[c]! * support[c]!;
    den += support[c]!;
  }
  return num / den;
}
