import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { clipGradNorm } from './clip-grad-norm.js';
import { Parameter } from './parameter.js';

function withGrad(values: number[], grad: number[]): Parameter {
  const p = new Parameter(tensor(values));
  p.grad = tensor(grad);
  return p;
}

describe('clipGradNorm', () => {
  it('returns the joint 2-norm and scales grads by maxNorm / (norm + 1e-6)', () => {
    const a = withGrad([0, 0], [3, 0]);
    const b = withGrad([0], [4]);
    const none = new Parameter(tensor([1]));
    const total = clipGradNorm([a, b, none], 1);
    expect(total).toBe(5);
    const coef = 1 / (5 + 1e-6);
    expect(a.grad!.toArray()).toEqual([Math.fround(3 * Math.fround(coef)), 0]);
    expect(b.grad!.data[0]).toBeCloseTo(4 * coef, 6);
    expect(none.grad).toBeNull();
  });

  it('leaves grads alone when the norm is below maxNorm', () => {
    const a = withGrad([0, 0], [0.3, -0.4]);
    expect(clipGradNorm(a, 1)).toBeCloseTo(0.5, 6);
    expect(a.grad!.toArray()).toEqual([Math.fround(0.3), Math.fround(-0.4)]);
  });

  it('supports the infinity norm and other orders', () => {
    const a = withGrad([0, 0], [-6, 2]);
    const b = withGrad([0], [3]);
    expect(clipGradNorm([a, b], 3, Infinity)).toBe(6);
    expect(a.grad!.data[0]).toBeCloseTo(-3, 5);
    const c = withGrad([0, 0], [1, 2]);
    expect(clipGradNorm(c, 100, 1)).toBe(3);
    expect(() => clipGradNorm(withGrad([0], [NaN]), 1, 2, { errorIfNonfinite: true })).toThrow(
      /total norm of order 2 of the gradients is NaN/,
    );
  });
});
