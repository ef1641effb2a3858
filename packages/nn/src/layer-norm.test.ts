import { layerNorm, Variable } from '@tsdl/autograd';
import * as T from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { LayerNorm } from './layer-norm.js';

const rn = (shape: number[], seed: number) => T.randn(shape, { generator: new T.Generator(seed) });

describe('LayerNorm', () => {
  it("has torch's parameters: weight ones and bias zeros of normalizedShape", () => {
    const ln = new LayerNorm([2, 3]);
    expect(ln.namedParameters().map(([k, p]) => [k, p.shape])).toEqual([
      ['weight', [2, 3]],
      ['bias', [2, 3]],
    ]);
    expect(Array.from(ln.weight!.data.toTypedArray())).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(ln.bias!.data.toTypedArray())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Object.keys(new LayerNorm(4).stateDict())).toEqual(['weight', 'bias']);
    expect(new LayerNorm(4, { elementwiseAffine: false }).parameters()).toEqual([]);
    expect(Object.keys(new LayerNorm(4, { bias: false }).stateDict())).toEqual(['weight']);
  });

  it('normalises each slice over the last dims, the same in training and eval', () => {
    const ln = new LayerNorm(4, { eps: 1e-3 });
    ln.weight!.data.data.set([0.5, 2, -1, 1]);
    ln.bias!.data.data.set([0, 1, 0, -1]);
    const x = rn([2, 3, 4], 1);
    const y = ln.forward(x);
    expect(y.data.toArray()).toEqual(layerNorm(x, 4, ln.weight, ln.bias, 1e-3).data.toArray());
    ln.eval();
    expect(ln.forward(x).data.toArray()).toEqual(y.data.toArray());
    // Without affine parameters every slice comes out with mean 0 and biased variance 1 (up to eps).
    const z = new LayerNorm([3, 4], { elementwiseAffine: false }).forward(x).data;
    const mean = T.mean(z, [1, 2]).toTypedArray();
    const variance = T.mean(T.mul(z, z), [1, 2]).toTypedArray();
    for (const m of mean) expect(Math.abs(m)).toBeLessThan(1e-6);
    for (const v of variance) expect(Math.abs(v - 1)).toBeLessThan(1e-4);
  });

  it('trains its parameters: gradients reach weight, bias and the input', () => {
    const ln = new LayerNorm(3);
    const x = new Variable(rn([4, 3], 2), true);
    ln.forward(x)
      .mul(T.tensor([1, 2, 3]))
      .sum()
      .backward();
    expect(Array.from(ln.bias!.grad!.toTypedArray())).toEqual([4, 8, 12]);
    expect(ln.weight!.grad!.shape).toEqual([3]);
    expect(x.grad!.shape).toEqual([4, 3]);
  });

  it('names bad arguments', () => {
    expect(() => new LayerNorm([])).toThrow(
      'LayerNorm: normalizedShape must be a positive integer or a non-empty list of them, received []',
    );
    expect(() => new LayerNorm(2.5)).toThrow(/received 2.5/);
    expect(() => new LayerNorm(3, { eps: -1 })).toThrow(
      'LayerNorm: eps must be a non-negative number, received -1',
    );
    expect(() => new LayerNorm([3, 4]).forward(rn([2, 4, 3], 1))).toThrow(
      /layerNorm: normalizedShape \[3,4\] must be positive sizes matching the trailing dims of x, expected input of shape \[\*,3,4\], received \[2,4,3\]/,
    );
  });
});
