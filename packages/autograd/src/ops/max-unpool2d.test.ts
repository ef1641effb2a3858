import * as T from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { maxUnpool2d, Variable } from '../index.js';

describe('maxUnpool2d', () => {
  it("forwards the tensor op and sends each value's cell of dy back to it (a gather)", () => {
    const v = new Variable(
      T.tensor([
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ]),
      true,
    );
    const idx = T.tensor(
      [
        [
          [
            [0, 3],
            [9, 14],
          ],
        ],
      ],
      { dtype: 'int32' },
    );
    const y = maxUnpool2d(v, idx, { kernelSize: 2, outputSize: [4, 4] });
    expect(y.data.toArray()).toEqual(
      T.maxUnpool2d(v.data, idx, { kernelSize: 2, outputSize: [4, 4] }).toArray(),
    );
    const dy = T.reshape(T.arange(0, 16, 1, { dtype: 'float32' }), [1, 1, 4, 4]);
    y.backward(dy);
    expect(v.grad!.toArray()).toEqual([
      [
        [
          [0, 3],
          [9, 14],
        ],
      ],
    ]);
  });

  it('gives every value of a repeated index the gradient of that cell, like PyTorch', () => {
    // Overlapping pooling windows can share a max; PyTorch's backward is a gather, not "last write wins".
    const v = new Variable(T.tensor([[[[5, 5, 7]]]]), true);
    const y = maxUnpool2d(v, T.tensor([[[[1, 1, 2]]]], { dtype: 'int32' }), { kernelSize: [1, 2] });
    y.backward(T.tensor([[[[10, 20, 30, 40, 50, 60]]]]));
    expect(v.grad!.toArray()).toEqual([[[[20, 20, 30]]]]);
  });

  it('wants int32 indices', () => {
    const v = new Variable(T.zeros([1, 1, 1, 1]));
    expect(() => maxUnpool2d(v, T.zeros([1, 1, 1, 1]), { kernelSize: 2 })).toThrow(
      /maxUnpool2d: indices must be an int32 Tensor or Variable, received float32/,
    );
  });
});
