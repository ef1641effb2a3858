import { type LabelCounts, type PrfValues, prfFromCounts } from './classification.js';
import { fail } from './errors.js';
import { checkSameLength, toLabels, type Vector } from './input.js';

export interface ClassificationMetricsOptions {
  /** Labels are 0..numClasses-1; anything else passed to update() throws. */
  numClasses: number;
  /** As in precision/recall/f1 (default 0). */
  zeroDivision?: 0 | 1;
}

export interface ClassificationReport {
  /** Number of samples seen. */
  count: number;
  accuracy: number;
  /** Per class, index = label. */
  precision: number[];
  recall: number[];
  f1: number[];
  /** Per class: number of samples whose true label it is. */
  support: number[];
  micro: PrfValues<number>;
  macro: PrfValues<number>;
  weighted: PrfValues<number>;
  /** Rows = true label, columns = predicted. */
  confusionMatrix: number[][];
}

/**
 * Accumulates a confusion matrix over batches (e.g. one validation epoch) and derives the
 * classification metrics from it. compute() equals the one-shot functions on all samples seen,
 * with `labels` = 0..numClasses-1 (so classes absent from the data still count in macro averages,
 * unlike the one-shot default, which uses only labels present).
 */
export class ClassificationMetrics {
  readonly numClasses: number;
  readonly zeroDivision: 0 | 1;
  private readonly counts: Float64Array;
  private seen = 0;

  constructor(options: ClassificationMetricsOptions) {
    const c = options?.numClasses;
    if (!Number.isInteger(c) || c < 1)
      fail('ClassificationMetrics', `numClasses must be a positive integer, received ${String(c)}`);
    const zd = options.zeroDivision ?? 0;
    if (zd !== 0 && zd !== 1)
      fail('ClassificationMetrics', `zeroDivision must be 0 or 1, received ${String(zd)}`);
    this.numClasses = c;
    this.zeroDivision = zd;
    this.counts = new Float64Array(c * c);
  }

  /** Adds one batch of true and predicted labels (validated before anything is counted). */
  update(yTrue: Vector, yPred: Vector): this {
    const fn = 'ClassificationMetrics.update';
    const t = toLabels(fn, 'yTrue', yTrue);
    const p = toLabels(fn, 'yPred', yPred);
    checkSameLength(fn, 'yTrue', t, 'yPred', p);
    const c = this.numClasses;
    for (let i = 0; i < t.length; i++) {
      if (t[i]! < 0 || t[i]! >= c)
        fail(fn, `yTrue[${i}] is ${t[i]}; expected a label in [0, ${c}) for numClasses=${c}`);
      if (p[i]! < 0 || p[i]! >= c)
        fail(fn, `yPred[${i}] is ${p[i]}; expected a label in [0, ${c}) for numClasses=${c}`);
    }
    for (let i = 0; i < t.length; i++) this.counts[t[i]! * c + p[i]!]!++;
    this.seen += t.length;
    return this;
  }

  reset(): void {
    this.counts.fill(0);
    this.seen = 0;
  }

  compute(): ClassificationReport {
    if (this.seen === 0) fail('ClassificationMetrics.compute', 'no samples seen; call update() first');
    const c = this.numClasses;
    const cm = Array.from({ length: c }, (_, i) => Array.from(this.counts.subarray(i * c, (i + 1) * c)));
    const lc: LabelCounts = { tp: [], predSum: new Array<number>(c).fill(0), trueSum: [] };
    let correct = 0;
    for (let i = 0; i < c; i++) {
      lc.tp.push(cm[i]![i]!);
      correct += cm[i]![i]!;
      lc.trueSum.push(cm[i]!.reduce((a, b) => a + b, 0));
      for (let j = 0; j < c; j++) lc.predSum[j]! += cm[i]![j]!;
    }
    const per = prfFromCounts(lc, 'none', this.zeroDivision);
    return {
      count: this.seen,
      accuracy: correct / this.seen,
      precision: per.precision,
      recall: per.recall,
      f1: per.f1,
      support: lc.trueSum,
      micro: prfFromCounts(lc, 'micro', this.zeroDivision),
      macro: prfFromCounts(lc, 'macro', this.zeroDivision),
      weighted: prfFromCounts(lc, 'weighted', this.zeroDivision),
      confusionMatrix: cm,
    };
  }
}
