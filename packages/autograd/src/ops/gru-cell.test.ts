import * as T from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { add, gruCell, mul, sigmoid, slice, sub, sum, tanh, Variable } from '../index.js';

/** The same step composed from elementwise ops (what the GRU layer ran before the fused op). */
function composed(xp: Variable, hp: Variable, h: Variable, hs: number): Variable {
  const part = (v: Variable, k: number) => slice(v, 1, k * hs, (k + 1) * hs);
  const r = sigmoid(add(part(xp, 0), part(hp, 0)));
  const z = sigmoid(add(part(xp, 1), part(hp, 1)));
  const n = tanh(add(part(xp, 2), mul(r, part(hp, 2))));
  return add(n, mul(z, sub(h, n)));
}

const leaf = (shape: number[], seed: number, scale = 2) =>
  new Variable(T.mul(T.randn(shape, { generator: new T.Generator(seed) }), scale), true);

describe('gruCell', () => {
  it('forward is bit-identical to the composed float32 ops; gradients agree to float32 rounding', () => {
    const [n, hs] = [4, 6];
    const inputs = () => [leaf([n, 3 * hs], 1), leaf([n, 3 * hs], 2), leaf([n, hs], 3)] as const;
    const [xp, hp, h] = inputs();
    const y1 = gruCell(xp, hp, h);
    const [xq, hq, hh] = inputs();
    const y2 = composed(xq, hq, hh, hs);
    expect(y1.data.toTypedArray()).toEqual(y2.data.toTypedArray());
    const w = T.randn([n, hs], { generator: new T.Generator(4) });
    sum(mul(y1, w)).backward();
    sum(mul(y2, w)).backward();
    for (const [a, b] of [
      [xp, xq],
      [hp, hq],
      [h, hh],
    ] as const) {
      const ga = a.grad!.toTypedArray();
      const gb = b.grad!.toTypedArray();
      for (let k = 0; k < ga.length; k++) expect(Math.abs(ga[k]! - gb[k]!)).toBeLessThan(1e-6);
    }
  });

  it('names the argument and both shapes on a mismatch', () => {
    const x = T.zeros([2, 6]);
    expect(() => gruCell(T.zeros([2, 4]), T.zeros([2, 4]), T.zeros([2, 2]))).toThrow(
      /xProj must be \[N, 3H\], received \[2,4\]/,
    );
    expect(() => gruCell(x, T.zeros([2, 3]), T.zeros([2, 2]))).toThrow(/hProj must be \[2, 6\]/);
    expect(() => gruCell(x, x, T.zeros([1, 2]))).toThrow(/h must be \[2, 2\], received \[1,2\]/);
  });
});
