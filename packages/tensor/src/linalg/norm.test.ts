import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { norm } from './norm.js';
import { f64, maxDiff } from './test-utils/checks.js';

describe('linalg.norm', () => {
  const M = f64([
    [1, -2, 3],
    [4, 5, -6],
  ]);

  it('defaults to the 2-norm of all elements (Frobenius for matrices)', () => {
    const v = norm(new Tensor(Float32Array.of(3, 4), [2]));
    expect(v.shape).toEqual([]);
    expect(v.dtype).toBe('float64');
    expect(v.item()).toBe(5);
    expect(norm(M).item()).toBeCloseTo(Math.sqrt(91), 14);
    // 3-d input flattens too; huge values do not overflow.
    expect(norm(new Tensor(Float64Array.of(3e200, 4e200, 0, 0), [1, 2, 2])).item()).toBeCloseTo(5e200, -186);
  });

  it('computes matrix norms matching numpy.linalg.norm', () => {
    // /usr/bin/python3 -c "import numpy as np; M = np.array([[1.,-2,3],[4,5,-6]]);
    //   print([np.linalg.norm(M, o) for o in ['fro','nuc',1,-1,2,-2,np.inf,-np.inf]])"
    const numpy = [
      9.539392014169456, 11.653785350898488, 9.0, 5.0, 9.225027715260929, 2.4287576356375586, 15.0, 6.0,
    ];
    const ords = ['fro', 'nuc', 1, -1, 2, -2, Infinity, -Infinity] as const;
    for (const [i, o] of ords.entries()) expect(norm(M, o).item()).toBeCloseTo(numpy[i]!, 13);
  });

  it('computes vector norms along an axis, with keepdims', () => {
    expect(maxDiff(norm(M, 1, 1), [6, 15])).toBe(0);
    expect(maxDiff(norm(M, Infinity, 0), [4, 5, 6])).toBe(0);
    expect(maxDiff(norm(M, -Infinity, -1), [1, 4])).toBe(0);
    expect(maxDiff(norm(M, 0, 1), [3, 3])).toBe(0);
    expect(maxDiff(norm(M, 3, 1), [Math.cbrt(36), Math.cbrt(405)])).toBeLessThan(1e-13);
    expect(maxDiff(norm(M, undefined, 0), [Math.sqrt(17), Math.sqrt(29), Math.sqrt(45)])).toBeLessThan(1e-14);
    expect(norm(M, 2, 1, true).shape).toEqual([2, 1]);
  });

  it('computes batched matrix norms over an axis pair', () => {
    const x = new Tensor(Float64Array.of(1, -2, 3, 4, 5, -6, 2, 0, 0, 0, 2, 0), [2, 2, 3]);
    const r = norm(x, 'nuc', [1, 2]);
    expect(r.shape).toEqual([2]);
    expect(r.get(0)).toBeCloseTo(11.653785350898488, 13);
    expect(r.get(1)).toBeCloseTo(4, 14);
    // The transposed axis order gives the transposed matrix: its 1-norm is M's ∞-norm.
    expect(norm(x, 1, [2, 1]).get(0)).toBe(15);
  });

  it('rejects bad ord/axis combinations naming the op', () => {
    expect(() => norm(M, 'fro', 0)).toThrow(/norm: ord 'fro' is a matrix norm/);
    expect(() => norm(new Tensor(new Float64Array(8), [2, 2, 2]), 2)).toThrow(
      /norm: ord given without axis needs a 1-d or 2-d x/,
    );
    expect(() => norm(M, 3, [0, 1])).toThrow(/norm: matrix ord must be/);
    expect(() => norm(M, 2, 5)).toThrow(/norm: axis 5 is out of range/);
  });
});
