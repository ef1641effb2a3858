import * as T from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { layerNorm, Variable } from '../index.js';

const rn = (shape: number[], seed: number) => T.randn(shape, { generator: new T.Generator(seed) });

describe('layerNorm', () => {
  it("gives the tensor kernel's output and gradients, none for absent weight or bias", () => {
    const x = new Variable(rn([3, 2, 4], 1), true);
    const w = new Variable(rn([2, 4], 2), true);
    const b = new Variable(rn([2, 4], 3), true);
    const dy = rn([3, 2, 4], 4);
    const y = layerNorm(x, [2, 4], w, b, 1e-4);
    const ref = T.layerNormForward(x.data, [2, 4], w.data, b.data, 1e-4);
    expect(y.data.toArray()).toEqual(ref.y.toArray());
    y.backward(dy);
    const g = T.layerNormBackward(dy, x.data, [2, 4], ref.mean, ref.invStd, w.data);
    expect(x.grad!.toArray()).toEqual(g.dx.toArray());
    expect(w.grad!.toArray()).toEqual(g.dweight.toArray());
    expect(b.grad!.toArray()).toEqual(g.dbias.toArray());

    const x2 = new Variable(rn([3, 4], 5), true);
    const b2 = new Variable(rn([4], 6), true);
    const y2 = layerNorm(x2, 4, null, b2);
    expect(y2.node!.inputs).toHaveLength(2); // x and bias only
    y2.sum().backward();
    // Σ over the normalised values of each row is constant, so x gets (almost) no gradient; bias gets N.
    expect(Math.max(...Array.from(x2.grad!.toTypedArray(), Math.abs))).toBeLessThan(1e-5);
    expect(Array.from(b2.grad!.toTypedArray())).toEqual([3, 3, 3, 3]);
  });

  it('names the argument when a shape does not fit', () => {
    const x = rn([2, 3], 1);
    expect(() => layerNorm(x, [2])).toThrow(
      'layerNorm: normalizedShape [2] must be positive sizes matching the trailing dims of x, expected input of shape [*,2], received [2,3]',
    );
    expect(() => layerNorm(x, 3, rn([2], 1))).toThrow('layerNorm: weight must have shape [3], received [2]');
    expect(() => layerNorm(x, 3, null, rn([3, 1], 1))).toThrow(
      'layerNorm: bias must have shape [3], received [3,1]',
    );
  });
});
