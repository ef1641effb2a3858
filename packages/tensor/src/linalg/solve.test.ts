import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { solve } from './solve.js';
import { f64, maxDiff, mm, randomMatrix } from './test-utils/checks.js';

describe('linalg.solve', () => {
  it('solves a known system (vector right-hand side keeps its shape)', () => {
    // 2x + y − z = 8, −3x − y + 2z = −11, −2x + y + 2z = −3 → x = 2, y = 3, z = −1.
    const a = f64([
      [2, 1, -1],
      [-3, -1, 2],
      [-2, 1, 2],
    ]);
    const x = solve(a, new Tensor(Float64Array.of(8, -11, -3), [3]));
    expect(x.shape).toEqual([3]);
    expect(x.dtype).toBe('float64');
    expect(maxDiff(x, [2, 3, -1])).toBeLessThan(1e-14);
  });

  it('needs pivoting for a zero leading entry and accepts int32 input', () => {
    const a = new Tensor(Int32Array.of(0, 1, 1, 0), [2, 2]);
    expect(solve(a, new Tensor(Int32Array.of(3, 4), [2])).toArray()).toEqual([4, 3]);
  });

  it('solves several right-hand sides of a random system', () => {
    const a = randomMatrix(30, 30, 4);
    const b = randomMatrix(30, 3, 5);
    const x = solve(a, b);
    expect(x.shape).toEqual([30, 3]);
    expect(maxDiff(mm(a, x), b)).toBeLessThan(1e-11);
  });

  it('throws a clear error for singular matrices and bad shapes', () => {
    expect(() =>
      solve(
        f64([
          [1, 2],
          [2, 4],
        ]),
        f64([[1], [2]]),
      ),
    ).toThrow(/solve: a is singular: pivot 1 of 2/);
    expect(() =>
      solve(
        f64([
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ]),
        new Tensor(Float64Array.of(1, 2, 3), [3]),
      ),
    ).toThrow(/solve: a is singular/);
    expect(() => solve(randomMatrix(2, 3, 1), randomMatrix(2, 1, 1))).toThrow(
      /solve: a must be square, received shape \[2,3\]/,
    );
    expect(() => solve(randomMatrix(2, 2, 1), randomMatrix(3, 1, 1))).toThrow(
      /solve: b must be \[2\] or \[2, k\] to match a \[2,2\], received \[3,1\]/,
    );
  });
});
