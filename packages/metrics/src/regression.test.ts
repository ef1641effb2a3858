import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { mae, mape, mse, type R2Options, r2, rmse } from './regression.js';
import { expectClose, fixtures } from './test-utils/fixtures.js';

const FNS = { mae, mse, rmse, mape, r2 } as const;

describe('regression metrics equal scikit-learn', () => {
  it.each(fixtures.regression.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const fn = FNS[c.fn as keyof typeof FNS] as (a: unknown, b: unknown, o: R2Options) => number | number[];
    expectClose(fn(c.yTrue, c.yPred, c.options as R2Options), c.expected);
  });
});

describe('regression metrics', () => {
  const yTrue = [3, -0.5, 2, 7, 4.2];
  const yPred = [2.5, 0.0, 2, 8, 3.9];

  it('accept typed arrays, Tensors and [n,1] columns alike', () => {
    const ref = mse(yTrue, yPred);
    expect(mse(Float64Array.from(yTrue), tensor(yPred, { dtype: 'float64' }))).toBe(ref);
    expect(
      mse(
        tensor(yTrue, { dtype: 'float64' }).reshape([5, 1]),
        yPred.map((v) => [v]),
      ),
    ).toBe(ref);
    expect(mse(yTrue, tensor(yPred, { dtype: 'float64' }).reshape([5, 1]))).toBe(ref);
    expect(rmse(yTrue, yPred)).toBe(Math.sqrt(ref));
  });

  it('r2: constant target gives 1 / 0, or NaN / -Infinity with forceFinite false; NaN below two samples', () => {
    expect(r2([2, 2, 2], [2, 2, 2])).toBe(1);
    expect(r2([2, 2, 2], [2, 2, 3])).toBe(0);
    expect(r2([2, 2, 2], [2, 2, 2], { forceFinite: false })).toBeNaN();
    expect(r2([2, 2, 2], [2, 2, 3], { forceFinite: false })).toBe(Number.NEGATIVE_INFINITY);
    expect(r2([1], [2])).toBeNaN();
    expect(r2([[1, 2]], [[1, 2]], { multioutput: 'raw_values' })).toEqual([Number.NaN, Number.NaN]);
  });

  it('mape: a zero target divides by float64 epsilon instead of failing', () => {
    expect(mape([0], [1e-3])).toBe(1e-3 / 2 ** -52);
    expect(mape([0, 0], [0, 0])).toBe(0);
  });

  it('name the function, argument, expected and received on bad input', () => {
    expect(() => mae([1, 2, 3], [1, 2])).toThrow(
      'mae: yPred has shape [2] but yTrue has shape [3]; expected the same shape',
    );
    expect(() => mse([[1, 2]], [[1, 2, 3]])).toThrow(
      'mse: yPred has shape [1,3] but yTrue has shape [1,2]; expected the same shape',
    );
    expect(() => rmse([], [])).toThrow('rmse: yTrue is empty; expected at least one sample');
    expect(() => mape([1, Number.NaN], [1, 2])).toThrow(
      'mape: yTrue must hold finite numbers, received NaN at index 1',
    );
    expect(() =>
      r2(
        [[1, 2], [3]],
        [
          [1, 2],
          [3, 4],
        ],
      ),
    ).toThrow('r2: yTrue must be a rectangular matrix: row 0 has 2 elements, row 1 has 1');
    expect(() => mae([1], ['a' as never])).toThrow(
      'mae: yPred must hold numbers, received string at index 0',
    );
    expect(() => mae([1], [1], { multioutput: 'variance_weighted' as never })).toThrow(
      "mae: multioutput must be 'uniform_average' or 'raw_values', received variance_weighted",
    );
    expect(() => mae(tensor([1, 2, 3, 4, 5, 6, 7, 8], { shape: [2, 2, 2] }), [1])).toThrow(
      'mae: yTrue must be a 1-d or 2-d tensor, received shape [2,2,2]',
    );
  });
});
