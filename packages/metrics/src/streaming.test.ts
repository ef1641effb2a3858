import { Generator, randint, tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { accuracy, f1, precision, recall } from './classification.js';
import { confusionMatrix } from './confusion-matrix.js';
import { ClassificationMetrics } from './streaming.js';

describe('ClassificationMetrics', () => {
  it('over batches equals the one-shot functions on all samples (labels = 0..numClasses-1)', () => {
    const C = 5;
    const g = new Generator(3);
    // class 3 is never predicted, class 4 never occurs in yTrue
    const yTrue = Array.from(randint(0, 4, [200], { generator: g }).toTypedArray());
    const yPred = Array.from(randint(0, 5, [200], { generator: g }).toTypedArray(), (v) => (v === 3 ? 0 : v));
    for (const zeroDivision of [0, 1] as const) {
      const m = new ClassificationMetrics({ numClasses: C, zeroDivision });
      for (let s = 0; s < 200; s += 37)
        m.update(tensor(yTrue.slice(s, s + 37), { dtype: 'int32' }), Int32Array.from(yPred.slice(s, s + 37)));
      const r = m.compute();
      const labels = [0, 1, 2, 3, 4];
      expect(r.count).toBe(200);
      expect(r.accuracy).toBe(accuracy(yTrue, yPred));
      expect(r.confusionMatrix).toEqual(confusionMatrix(yTrue, yPred, { numClasses: C }));
      expect(r.support).toEqual(labels.map((l) => yTrue.filter((y) => y === l).length));
      expect(r.precision).toEqual(precision(yTrue, yPred, { average: 'none', labels, zeroDivision }));
      expect(r.recall).toEqual(recall(yTrue, yPred, { average: 'none', labels, zeroDivision }));
      expect(r.f1).toEqual(f1(yTrue, yPred, { average: 'none', labels, zeroDivision }));
      for (const average of ['micro', 'macro', 'weighted'] as const) {
        const opts = { average, labels, zeroDivision };
        expect(r[average]).toEqual({
          precision: precision(yTrue, yPred, opts),
          recall: recall(yTrue, yPred, opts),
          f1: f1(yTrue, yPred, opts),
        });
      }
      expect(r.precision[3]).toBe(zeroDivision);
      expect(r.recall[4]).toBe(zeroDivision);
    }
  });

  it('resets, and rejects bad batches before counting any of them', () => {
    const m = new ClassificationMetrics({ numClasses: 3 });
    m.update([0, 1], [0, 2]);
    expect(() => m.update([0, 1, 3], [0, 1, 1])).toThrow(
      'ClassificationMetrics.update: yTrue[2] is 3; expected a label in [0, 3) for numClasses=3',
    );
    expect(() => m.update([0, 1], [0])).toThrow(
      'ClassificationMetrics.update: yPred has 1 elements but yTrue has 2; expected 2',
    );
    expect(m.compute().count).toBe(2);
    m.reset();
    expect(() => m.compute()).toThrow('ClassificationMetrics.compute: no samples seen; call update() first');
    expect(() => new ClassificationMetrics({ numClasses: 0 })).toThrow(
      'ClassificationMetrics: numClasses must be a positive integer, received 0',
    );
  });
});
