import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { lstsq } from './lstsq.js';
import { f64, maxDiff, mm, randomMatrix } from './test-utils/checks.js';

describe('linalg.lstsq', () => {
  it('fits y = 0.8x + 0.4 to X = [1..5], y = [1, 3, 2, 3, 5]', () => {
    // Columns [x, 1]: slope Sxy / Sxx = 8 / 10, intercept 2.8 − 0.8·3.
    const a = f64([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
      [5, 1],
    ]);
    const y = new Tensor(Float64Array.of(1, 3, 2, 3, 5), [5]);
    const { solution, residuals, rank, singularValues } = lstsq(a, y);
    expect(solution.shape).toEqual([2]);
    expect(maxDiff(solution, [0.8, 0.4])).toBeLessThan(1e-14);
    expect(rank).toBe(2);
    expect(singularValues.shape).toEqual([2]);
    // Residuals: y − ŷ = [−0.2, 1, −0.8, −0.6, 0.6] → sum of squares 2.4.
    expect(residuals!.shape).toEqual([1]);
    expect(residuals!.get(0)).toBeCloseTo(2.4, 13);
  });

  it('matches the normal equations on a random overdetermined system with several right-hand sides', () => {
    const a = randomMatrix(40, 6, 1);
    const b = randomMatrix(40, 2, 2);
    const { solution } = lstsq(a, b);
    // Optimality: Aᵀ (A x − b) = 0.
    const r = Float64Array.from(mm(a, solution)).map((v, i) => v - b.toTypedArray()[i]!);
    const grad = mm(a.T, new Tensor(r, [40, 2]));
    expect(maxDiff(grad, new Float64Array(12))).toBeLessThan(1e-12);
  });

  it('gives the minimum-norm solution and the rank for rank-deficient systems', () => {
    // Columns 1 and 2 are equal: x1 + x2 is determined (= 2), the minimum-norm split is 1 and 1.
    const a = f64([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    const { solution, rank, residuals, singularValues } = lstsq(a, new Tensor(Float64Array.of(2, 2, 2), [3]));
    expect(rank).toBe(1);
    expect(residuals).toBeUndefined();
    expect(maxDiff(solution, [1, 1])).toBeLessThan(1e-14);
    expect(singularValues.get(1)).toBeLessThan(1e-15);
    // Rank 2 of 3 (third column = first + second, last row = 2 · first row).
    const r2 = lstsq(
      f64([
        [1, 2, 3],
        [4, 5, 9],
        [7, 8, 15],
        [2, 4, 6],
      ]),
      f64([[1], [2], [3], [4]]),
    );
    expect(r2.rank).toBe(2);
    expect(r2.singularValues.get(2)).toBeLessThan(1e-14 * r2.singularValues.get(0));
    expect(r2.solution.shape).toEqual([3, 1]);
    // Underdetermined: x + y = 2 → minimum norm [1, 1].
    const u = lstsq(f64([[1, 1]]), new Tensor(Float64Array.of(2), [1]));
    expect(maxDiff(u.solution, [1, 1])).toBeLessThan(1e-14);
    expect(u.rank).toBe(1);
  });

  it('treats singular values under rcond as zero', () => {
    const a = f64([
      [1, 0],
      [0, 1e-8],
      [0, 0],
    ]);
    const b = new Tensor(Float64Array.of(1, 1, 0), [3]);
    expect(lstsq(a, b).rank).toBe(2);
    const cut = lstsq(a, b, { rcond: 1e-6 });
    expect(cut.rank).toBe(1);
    expect(maxDiff(cut.solution, [1, 0])).toBe(0);
  });

  it('handles the zero matrix', () => {
    const r = lstsq(new Tensor(new Float64Array(6), [3, 2]), new Tensor(Float64Array.of(1, 2, 3), [3]));
    expect(r.rank).toBe(0);
    expect(r.solution.toArray()).toEqual([0, 0]);
  });
});
