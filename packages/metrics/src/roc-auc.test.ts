import { Generator, rand, tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { type RocAucOptions, rocAuc } from './roc-auc.js';
import { expectClose, fixtures } from './test-utils/fixtures.js';

describe('rocAuc equals scikit-learn', () => {
  it.each(fixtures.rocAuc.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expectClose(rocAuc(c.yTrue, c.yScore, c.options as RocAucOptions), c.expected);
  });
});

/** P(score of a random positive > score of a random negative) + ½ P(tie): the AUC with ties counted as half. */
function pairwiseAuc(y: number[], s: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    for (let j = 0; j < y.length; j++) {
      if (y[i] !== 1 || y[j] !== 0) continue;
      pairs++;
      wins += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('rocAuc', () => {
  it('equals the Mann-Whitney statistic with ties counted as one half', () => {
    const g = new Generator(7);
    const s = Array.from(rand([300], { generator: g }).toTypedArray(), (v) => Math.round(v * 8) / 8);
    const y = Array.from(rand([300], { generator: g }).toTypedArray(), (v, i) =>
      v + s[i]! * 0.5 > 0.7 ? 1 : 0,
    );
    expect(rocAuc(y, s)).toBeCloseTo(pairwiseAuc(y, s), 12);
    expect(rocAuc(tensor(y, { dtype: 'int32' }), tensor(s, { dtype: 'float64' }))).toBeCloseTo(
      pairwiseAuc(y, s),
      12,
    );
  });

  it('gives 0.5 for all-equal scores and 1 / 0 for perfect / inverted rankings', () => {
    expect(rocAuc([0, 1, 1, 0], new Float32Array(4).fill(0.7))).toBe(0.5);
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4])).toBe(0);
  });

  it('accepts a [n,C] Tensor for one-vs-rest, and [n,1] as binary scores', () => {
    const c = fixtures.rocAuc.find((f) => f.name === 'ovr 4 classes imbalanced weighted')!;
    const scores = c.yScore as number[][];
    const t = tensor(scores.flat(), { dtype: 'float64', shape: [scores.length, 4] });
    expectClose(rocAuc(c.yTrue, t, { multiClass: 'ovr', average: 'weighted' }), c.expected);
    expect(rocAuc([0, 1, 1], [[0.2], [0.5], [0.9]])).toBe(1);
  });

  it('throws clear errors like scikit-learn', () => {
    expect(() => rocAuc([1, 1, 1], [0.2, 0.3, 0.4])).toThrow(
      'rocAuc: only one class present in yTrue (only label 1); ROC AUC is not defined in that case',
    );
    expect(() => rocAuc([0, 1, 2], [0.2, 0.3, 0.4])).toThrow(
      'rocAuc: yTrue has 3 classes [0,1,2] but yScore is 1-d; pass scores of shape [3,3] for one-vs-rest',
    );
    expect(() =>
      rocAuc(
        [0, 1, 2],
        [
          [0.2, 0.8],
          [0.3, 0.7],
          [0.5, 0.5],
        ],
      ),
    ).toThrow('rocAuc: yTrue has 3 classes [0,1,2] but yScore has 2 columns');
    expect(() => rocAuc([0, 1], [0.2, 0.3, 0.4])).toThrow(
      'rocAuc: yScore has 3 rows but yTrue has 2 samples; expected shape [2] or [2,C], received [3]',
    );
    // a class listed in labels but absent from yTrue has no one-vs-rest AUC
    expect(() =>
      rocAuc(
        [0, 1, 0],
        [
          [0.2, 0.3, 0.5],
          [0.3, 0.3, 0.4],
          [0.6, 0.2, 0.2],
        ],
        { labels: [0, 1, 2] },
      ),
    ).toThrow('rocAuc: only one class present in yTrue for class 2 (one-vs-rest)');
    expect(() =>
      rocAuc(
        [0, 1],
        [
          [0.5, 0.5],
          [0.4, 0.6],
        ],
        { multiClass: 'ovo' as never },
      ),
    ).toThrow("rocAuc: multiClass must be 'ovr'");
    expect(() => rocAuc([0, 1], [0.5, Number.POSITIVE_INFINITY])).toThrow(
      'rocAuc: yScore must hold finite numbers, received Infinity at index 1',
    );
    expect(() =>
      rocAuc(
        [0, 1],
        [
          [0.5, 0.5],
          [0.4, 0.6],
        ],
        { labels: [1, 0] },
      ),
    ).toThrow('rocAuc: labels must be in ascending order');
  });
});
