import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { confusionMatrix } from './confusion-matrix.js';
import { fixtures } from './test-utils/fixtures.js';

describe('confusionMatrix', () => {
  const cases = fixtures.classification.filter((c) => c.fn === 'confusionMatrix');
  it.each(cases.map((c) => [c.name, c] as const))('equals scikit-learn: %s', (_, c) => {
    expect(confusionMatrix(c.yTrue, c.yPred, c.options as { labels?: number[] })).toEqual(c.expected);
  });

  it('numClasses fixes the size (absent classes give zero rows) and rejects labels out of range', () => {
    expect(confusionMatrix(tensor([0, 2, 2], { dtype: 'int32' }), [0, 0, 2], { numClasses: 4 })).toEqual([
      [1, 0, 0, 0],
      [0, 0, 0, 0],
      [1, 0, 1, 0],
      [0, 0, 0, 0],
    ]);
    expect(confusionMatrix([], [], { numClasses: 2 })).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(() => confusionMatrix([0, 3], [0, 1], { numClasses: 3 })).toThrow(
      'confusionMatrix: yTrue[1] is 3; expected a label in [0, 3) for numClasses=3',
    );
    expect(() => confusionMatrix([0, 1], [0, -1], { numClasses: 3 })).toThrow(
      'confusionMatrix: yPred[1] is -1',
    );
  });

  it('rows sum to the class counts of yTrue, columns to those of yPred', () => {
    const yTrue = [0, 1, 2, 0, 1, 2, 0, 1, 1, 0, 2, 1];
    const yPred = [0, 2, 1, 0, 0, 1, 0, 1, 3, 1, 0, 1];
    const cm = confusionMatrix(yTrue, yPred);
    const count = (ys: number[], l: number) => ys.filter((y) => y === l).length;
    for (const [i, row] of cm.entries()) {
      expect(row.reduce((a, b) => a + b, 0)).toBe(count(yTrue, i));
      expect(cm.reduce((a, r) => a + r[i]!, 0)).toBe(count(yPred, i));
    }
  });

  it('rejects bad options like scikit-learn', () => {
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [5, 6] })).toThrow(
      'confusionMatrix: at least one of labels [5,6] must occur in yTrue',
    );
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [] })).toThrow(
      'confusionMatrix: labels must contain at least one label',
    );
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [0, 1], numClasses: 2 })).toThrow(
      'confusionMatrix: pass labels or numClasses, not both',
    );
    expect(() => confusionMatrix([0, 1], [0], {})).toThrow(
      'confusionMatrix: yPred has 1 elements but yTrue has 2; expected 2',
    );
  });
});
