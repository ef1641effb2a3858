import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { toDense, toLabels, uniqueSorted } from './input.js';

describe('input normalisation', () => {
  it('reads arrays, typed arrays, nested arrays and (strided) Tensors row-major', () => {
    expect(toDense('f', 'x', [1, 2, 3])).toEqual({ data: Float64Array.from([1, 2, 3]), shape: [3] });
    expect(toDense('f', 'x', new Uint8Array([4, 5]))).toEqual({
      data: Float64Array.from([4, 5]),
      shape: [2],
    });
    expect(
      toDense('f', 'x', [
        [1, 2],
        [3, 4],
      ]),
    ).toEqual({ data: Float64Array.from([1, 2, 3, 4]), shape: [2, 2] });
    const t = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float32' },
    ).transpose(0, 1);
    expect(toDense('f', 'x', t)).toEqual({ data: Float64Array.from([1, 3, 2, 4]), shape: [2, 2] });
    expect(toDense('f', 'x', [])).toEqual({ data: new Float64Array(0), shape: [0] });
  });

  it('rejects what is not numeric, finite or rectangular, naming function and argument', () => {
    expect(() => toDense('f', 'yTrue', 'abc' as never)).toThrow(
      'f: yTrue must be an array, typed array or Tensor, received string',
    );
    expect(() => toDense('f', 'yTrue', [[1, Number.NaN]])).toThrow(
      'f: yTrue must hold finite numbers, received NaN at [0,1]',
    );
    expect(() => toLabels('f', 'yPred', [1, 2.5])).toThrow(
      'f: yPred must hold integer class labels, received 2.5 at index 1',
    );
  });

  it('sorts distinct labels numerically', () => {
    expect(uniqueSorted([10, 2, -1], Float64Array.from([2, 3]))).toEqual([-1, 2, 3, 10]);
  });
});
