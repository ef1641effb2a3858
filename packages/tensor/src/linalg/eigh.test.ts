import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { eigh } from './eigh.js';
import { f64, maxDiff, mm, orthoError, randomMatrix } from './test-utils/checks.js';

/** max |A v_i − λ_i v_i| over all eigenpairs. */
function residual(a: Tensor, values: Tensor, vectors: Tensor): number {
  const av = mm(a, vectors);
  const n = values.shape[0]!;
  let worst = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      worst = Math.max(worst, Math.abs(av[i * n + j]! - values.get(j) * vectors.get(i, j)));
  return worst;
}

describe('linalg.eigh', () => {
  it('finds known eigenpairs of a 3×3 symmetric matrix', () => {
    // Eigenvalues 1, 4 − √3, 4 + √3 (numpy.linalg.eigvalsh agrees); the eigenvector of 1 is [1, −1, 1] / √3.
    const a = f64([
      [4, 1, -2],
      [1, 2, 0],
      [-2, 0, 3],
    ]);
    const { eigenvalues, eigenvectors } = eigh(a);
    expect(maxDiff(eigenvalues, [1, 4 - Math.sqrt(3), 4 + Math.sqrt(3)])).toBeLessThan(1e-14);
    const r = 1 / Math.sqrt(3);
    // Sign convention: largest-magnitude entry positive (the first on ties).
    expect(
      maxDiff([eigenvectors.get(0, 0), eigenvectors.get(1, 0), eigenvectors.get(2, 0)], [r, -r, r]),
    ).toBeLessThan(1e-14);
    expect(residual(a, eigenvalues, eigenvectors)).toBeLessThan(1e-14);
  });

  it('solves a 2×2 case by hand and a diagonal matrix', () => {
    // [[2, 1], [1, 2]]: λ = 1 with [1, −1]/√2 and λ = 3 with [1, 1]/√2.
    const { eigenvalues, eigenvectors } = eigh(
      f64([
        [2, 1],
        [1, 2],
      ]),
    );
    expect(maxDiff(eigenvalues, [1, 3])).toBeLessThan(1e-15);
    const h = Math.SQRT1_2;
    expect(maxDiff(eigenvectors, [h, h, -h, h])).toBeLessThan(1e-15);
    const d = eigh(
      f64([
        [3, 0, 0],
        [0, -1, 0],
        [0, 0, 2],
      ]),
    );
    expect(d.eigenvalues.toArray()).toEqual([-1, 2, 3]);
    expect(d.eigenvectors.toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });

  it('satisfies A v = λ v with orthonormal V on random symmetric matrices', () => {
    for (const n of [1, 2, 5, 40]) {
      const b = randomMatrix(n, n, n);
      const a = new Tensor(Float64Array.from(mm(b, b.T)), [n, n]).sub(new Tensor(Float64Array.of(n), []));
      const { eigenvalues, eigenvectors } = eigh(a);
      expect(eigenvectors.shape).toEqual([n, n]);
      expect(orthoError(eigenvectors)).toBeLessThan(1e-12);
      expect(residual(a, eigenvalues, eigenvectors)).toBeLessThan(
        1e-11 * Math.max(1, Math.abs(eigenvalues.get(n - 1))),
      );
      for (let i = 1; i < n; i++) expect(eigenvalues.get(i)).toBeGreaterThanOrEqual(eigenvalues.get(i - 1));
    }
  });

  it('reads only the lower triangle by default (like torch), or the upper with uplo', () => {
    const lower = f64([
      [2, 99],
      [1, 2],
    ]);
    expect(maxDiff(eigh(lower).eigenvalues, [1, 3])).toBeLessThan(1e-15);
    expect(
      maxDiff(
        eigh(
          f64([
            [2, 1],
            [-99, 2],
          ]),
          { uplo: 'U' },
        ).eigenvalues,
        [1, 3],
      ),
    ).toBeLessThan(1e-15);
  });

  it('handles the zero matrix and repeated eigenvalues', () => {
    const z = eigh(new Tensor(new Float64Array(9), [3, 3]));
    expect(z.eigenvalues.toArray()).toEqual([0, 0, 0]);
    expect(orthoError(z.eigenvectors)).toBe(0);
    const a = f64([
      [2, 0, 0],
      [0, 2, 0],
      [0, 0, 5],
    ]);
    expect(eigh(a).eigenvalues.toArray()).toEqual([2, 2, 5]);
  });

  it('rejects non-square input naming the op', () => {
    expect(() => eigh(randomMatrix(2, 3, 1))).toThrow(/eigh: a must be square, received shape \[2,3\]/);
  });
});
