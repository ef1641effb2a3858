import * as T from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { add, lstmCell, mul, sigmoid, slice, sum, tanh, Variable } from '../index.js';

/** The same step composed from elementwise ops (what the LSTM layer ran before the fused op). */
function composed(xp: Variable, hp: Variable, c: Variable, h: number): [Variable, Variable] {
  const z = add(xp, hp);
  const i = sigmoid(slice(z, 1, 0, h));
  const f = sigmoid(slice(z, 1, h, 2 * h));
  const g = tanh(slice(z, 1, 2 * h, 3 * h));
  const o = sigmoid(slice(z, 1, 3 * h, 4 * h));
  const c1 = add(mul(f, c), mul(i, g));
  return [mul(o, tanh(c1)), c1];
}

const leaf = (shape: number[], seed: number, scale = 2) =>
  new Variable(T.mul(T.randn(shape, { generator: new T.Generator(seed) }), scale), true);

describe('lstmCell', () => {
  it('forward is bit-identical to the composed float32 ops; gradients agree to float32 rounding', () => {
    const [n, h] = [5, 7];
    const inputs = () => [leaf([n, 4 * h], 1), leaf([n, 4 * h], 2), leaf([n, h], 3)] as const;
    const [xp, hp, c] = inputs();
    const fused = lstmCell(xp, hp, c);
    const [h1, c1] = [slice(fused, 1, 0, h), slice(fused, 1, h, 2 * h)];
    const [xq, hq, cq] = inputs();
    const [h2, c2] = composed(xq, hq, cq, h);
    expect(h1.data.toTypedArray()).toEqual(h2.data.toTypedArray());
    expect(c1.data.toTypedArray()).toEqual(c2.data.toTypedArray());
    // A loss that reads both outputs with different weights.
    const wH = T.randn([n, h], { generator: new T.Generator(4) });
    const wC = T.randn([n, h], { generator: new T.Generator(5) });
    add(sum(mul(h1, wH)), sum(mul(c1, wC))).backward();
    add(sum(mul(h2, wH)), sum(mul(c2, wC))).backward();
    for (const [a, b] of [
      [xp, xq],
      [hp, hq],
      [c, cq],
    ] as const) {
      const ga = a.grad!.toTypedArray();
      const gb = b.grad!.toTypedArray();
      for (let k = 0; k < ga.length; k++) expect(Math.abs(ga[k]! - gb[k]!)).toBeLessThan(1e-6);
    }
  });

  it('keeps float64 inputs in float64', () => {
    const x = T.randn([2, 8], { dtype: 'float64', generator: new T.Generator(6) });
    const y = lstmCell(x, T.zerosLike(x), T.zeros([2, 2], { dtype: 'float64' }));
    expect(y.dtype).toBe('float64');
    expect(y.shape).toEqual([2, 4]);
  });

  it('names the argument and both shapes on a mismatch', () => {
    const x = T.zeros([2, 8]);
    expect(() => lstmCell(T.zeros([2, 6]), T.zeros([2, 6]), T.zeros([2, 2]))).toThrow(
      /xProj must be \[N, 4H\], received \[2,6\]/,
    );
    expect(() => lstmCell(x, T.zeros([3, 8]), T.zeros([2, 2]))).toThrow(
      /hProj must be \[2, 8\] like xProj, received \[3,8\]/,
    );
    expect(() => lstmCell(x, x, T.zeros([2, 3]))).toThrow(/c must be \[2, 2\], received \[2,3\]/);
  });
});
