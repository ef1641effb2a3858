import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { accuracy, f1, type PrfOptions, precision, recall } from './classification.js';
import { expectClose, fixtures } from './test-utils/fixtures.js';

const FNS = { precision, recall, f1 } as const;
const cases = fixtures.classification.filter((c) => c.fn in FNS || c.fn === 'accuracy');

describe('classification metrics equal scikit-learn', () => {
  it('has fixtures covering zero division, absent classes and binary', () => {
    expect(cases.length).toBeGreaterThan(100);
  });
  it.each(cases.map((c) => [`${c.fn} ${c.name}`, c] as const))('%s', (_, c) => {
    const actual =
      c.fn === 'accuracy'
        ? accuracy(c.yTrue, c.yPred, c.options as { normalize?: boolean })
        : FNS[c.fn as keyof typeof FNS](c.yTrue, c.yPred, c.options as PrfOptions);
    expectClose(actual, c.expected as number | number[]);
  });
});

describe('classification inputs', () => {
  const yTrue = [0, 1, 2, 0, 1, 2, 0, 1, 1, 0, 2, 1];
  const yPred = [0, 2, 1, 0, 0, 1, 0, 1, 3, 1, 0, 1];

  it('accepts typed arrays, Tensors and columns [n,1] with the same result', () => {
    const ref = f1(yTrue, yPred, { average: 'none' });
    expect(f1(Int32Array.from(yTrue), Uint8Array.from(yPred), { average: 'none' })).toEqual(ref);
    expect(f1(tensor(yTrue, { dtype: 'int32' }), tensor(yPred), { average: 'none' })).toEqual(ref);
    expect(f1(tensor(yTrue).reshape([-1, 1]), tensor(yPred).reshape([-1, 1]), { average: 'none' })).toEqual(
      ref,
    );
    // a non-contiguous view reads its logical elements
    const both = tensor([yTrue, yPred], { dtype: 'int32' }).transpose(0, 1);
    expect(accuracy(both.slice(1, 0, 1).reshape([-1]), yPred)).toBe(accuracy(yTrue, yPred));
  });

  it("defaults to average 'binary' like scikit-learn and explains what to pass for multi-class", () => {
    expect(() => precision(yTrue, yPred)).toThrow(
      "precision: target is multi-class (labels [0,1,2,3]) but average is 'binary' (the default, like scikit-learn); pass average: 'micro', 'macro', 'weighted' or 'none'",
    );
    expect(() => recall([0, 2, 2], [2, 0, 2], { posLabel: 1 })).toThrow(
      'recall: posLabel=1 is not a valid label; expected one of [0,2]',
    );
    expect(recall([0, 2, 2], [2, 0, 2], { posLabel: 2 })).toBe(0.5);
  });

  it('names the function, argument, expected and received on bad input', () => {
    expect(() => f1([0, 1, 1], [0, 1], { average: 'macro' })).toThrow(
      'f1: yPred has 2 elements but yTrue has 3; expected 3',
    );
    expect(() => accuracy([0, 1], [0.2, 0.9])).toThrow(
      'accuracy: yPred must hold integer class labels, received 0.2 at index 0',
    );
    expect(() => accuracy([0, Number.NaN], [0, 1])).toThrow(
      'accuracy: yTrue must hold finite numbers, received NaN at index 1',
    );
    expect(() => accuracy([], [])).toThrow('accuracy: yTrue is empty; expected at least one sample');
    expect(() =>
      precision([0, 1], [
        [0, 1],
        [1, 0],
      ] as never),
    ).toThrow('precision: yPred must be 1-d (or a column [n,1]), received shape [2,2]');
    expect(() => precision([0, 1], [0, 1], { average: 'samples' as never })).toThrow(
      "precision: average must be one of 'binary'",
    );
    expect(() => f1([0, 1], [0, 1], { average: 'macro', labels: [1, 1] })).toThrow(
      'f1: labels must be distinct, received 1 twice',
    );
    expect(() => f1([0, 1], [0, 1], { zeroDivision: 2 as never })).toThrow(
      'f1: zeroDivision must be 0 or 1, received 2',
    );
  });

  it('f1 equals the harmonic mean of precision and recall per label', () => {
    const p = precision(yTrue, yPred, { average: 'none' });
    const r = recall(yTrue, yPred, { average: 'none' });
    const f = f1(yTrue, yPred, { average: 'none' });
    for (const [i, v] of f.entries()) {
      expect(v).toBeCloseTo(p[i]! + r[i]! === 0 ? 0 : (2 * p[i]! * r[i]!) / (p[i]! + r[i]!), 15);
    }
  });
});
