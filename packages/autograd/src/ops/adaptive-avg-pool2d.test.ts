import * as T from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { adaptiveAvgPool2d, gelu, Variable } from '../index.js';

const rn = (shape: number[], seed: number) => T.randn(shape, { generator: new T.Generator(seed) });

describe('adaptiveAvgPool2d of gelu', () => {
  it('wrap the tensor kernels and check their arguments', () => {
    const x = new Variable(rn([2, 3, 5, 4], 7), true);
    const y = adaptiveAvgPool2d(gelu(x, 'tanh'), [2, 3]);
    expect(y.data.toArray()).toEqual(T.adaptiveAvgPool2d(T.gelu(x.data, 'tanh'), [2, 3]).toArray());
    const dy = rn([2, 3, 2, 3], 8);
    y.backward(dy);
    const ref = T.geluGrad(T.adaptiveAvgPool2dGrad(dy, x.shape), x.data, 'tanh');
    expect(x.grad!.toArray()).toEqual(ref.toArray());
    expect(() => gelu(x, 'exact' as never)).toThrow(
      `gelu: approximate must be 'none' or 'tanh', received "exact"`,
    );
    expect(() => adaptiveAvgPool2d(x, [2, 0])).toThrow(
      /adaptiveAvgPool2d: outputSize must be positive integers/,
    );
  });
});
