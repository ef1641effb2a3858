import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { qr } from './qr.js';
import { f64, maxDiff, mm, orthoError, randomMatrix } from './test-utils/checks.js';

function maxBelowDiagonal(R: Tensor): number {
  let worst = 0;
  for (let i = 0; i < R.shape[0]!; i++)
    for (let j = 0; j < Math.min(i, R.shape[1]!); j++) worst = Math.max(worst, Math.abs(R.get(i, j)));
  return worst;
}

describe('linalg.qr', () => {
  for (const [m, n] of [
    [8, 5],
    [5, 8],
    [6, 6],
    [1, 1],
    [7, 1],
    [1, 7],
  ] as const) {
    for (const mode of ['reduced', 'complete'] as const) {
      it(`${mode} QR of a random ${m}×${n} matrix: Q orthonormal, R upper triangular, QR = A`, () => {
        const a = randomMatrix(m, n, m * 10 + n);
        const { Q, R } = qr(a, { mode });
        const q = mode === 'complete' ? m : Math.min(m, n);
        expect(Q.shape).toEqual([m, q]);
        expect(R.shape).toEqual([q, n]);
        expect(Q.dtype).toBe('float64');
        expect(orthoError(Q)).toBeLessThan(1e-12);
        expect(maxBelowDiagonal(R)).toBe(0);
        expect(maxDiff(mm(Q, R), a)).toBeLessThan(1e-12);
      });
    }
  }

  it('gives a hand-checkable factorisation', () => {
    // [[3, 1], [4, 2]]: the first column has norm 5, so |R00| = 5 and |R11| = |det| / 5 = 2 / 5.
    const { Q, R } = qr(
      f64([
        [3, 1],
        [4, 2],
      ]),
    );
    expect(Math.abs(R.get(0, 0))).toBeCloseTo(5, 14);
    expect(Math.abs(R.get(1, 1))).toBeCloseTo(0.4, 14);
    expect(Math.abs(Q.get(0, 0))).toBeCloseTo(0.6, 14);
    expect(Math.abs(Q.get(1, 0))).toBeCloseTo(0.8, 14);
  });

  it('keeps Q orthonormal for rank-deficient and zero matrices', () => {
    const a = f64([
      [1, 2, 3],
      [2, 4, 6],
      [3, 6, 9],
      [1, 1, 1],
    ]);
    const { Q, R } = qr(a, { mode: 'complete' });
    expect(orthoError(Q)).toBeLessThan(1e-12);
    expect(maxDiff(mm(Q, R), a)).toBeLessThan(1e-12);
    const z = qr(new Tensor(new Float64Array(6), [3, 2]));
    expect(z.Q.toArray()).toEqual([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    expect(z.R.toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('rejects a bad mode naming the op', () => {
    expect(() => qr(randomMatrix(2, 2, 1), { mode: 'r' as never })).toThrow(
      /qr: mode must be 'reduced' or 'complete', received r/,
    );
  });
});
