import { describe, expect, it } from 'vitest';
import { linalg } from '../index.js';
import { Tensor } from '../tensor.js';
import { svd } from './svd.js';
import { f64, maxDiff, orthoError, randomMatrix, reconstruct } from './test-utils/checks.js';

function expectDescending(S: Tensor): void {
  const s = Array.from(S.toTypedArray());
  for (let i = 1; i < s.length; i++) expect(s[i - 1]!).toBeGreaterThanOrEqual(s[i]!);
  for (const v of s) expect(v).toBeGreaterThanOrEqual(0);
}

describe('linalg.svd', () => {
  for (const [m, n] of [
    [7, 4],
    [4, 7],
    [6, 6],
    [30, 11],
    [11, 30],
    [1, 5],
    [5, 1],
  ] as const) {
    it(`reconstructs a random ${m}×${n} matrix with orthonormal factors`, () => {
      const a = randomMatrix(m, n, 100 + m * 31 + n);
      const { U, S, Vh } = svd(a);
      const k = Math.min(m, n);
      expect(U.shape).toEqual([m, k]);
      expect(S.shape).toEqual([k]);
      expect(Vh.shape).toEqual([k, n]);
      expect(U.dtype).toBe('float64');
      expect(maxDiff(reconstruct(U, S, Vh), a)).toBeLessThan(1e-10);
      expect(orthoError(U)).toBeLessThan(1e-10);
      expect(orthoError(Vh, true)).toBeLessThan(1e-10);
      expectDescending(S);
    });
    it(`full SVD of a random ${m}×${n} matrix has square orthogonal factors`, () => {
      const a = randomMatrix(m, n, 7 + m * 13 + n);
      const { U, S, Vh } = svd(a, { full: true });
      expect(U.shape).toEqual([m, m]);
      expect(Vh.shape).toEqual([n, n]);
      expect(orthoError(U)).toBeLessThan(1e-10);
      expect(orthoError(Vh, true)).toBeLessThan(1e-10);
      expect(maxDiff(reconstruct(U, S, Vh), a)).toBeLessThan(1e-10);
      // Same singular values as the thin decomposition.
      expect(maxDiff(S, svd(a).S)).toBeLessThan(1e-12);
    });
  }

  it('matches the singular values of the 5×4 ratings matrix from numpy', () => {
    const R = f64([
      [5, 3, 0, 1],
      [4, 0, 0, 1],
      [1, 1, 0, 5],
      [1, 0, 0, 4],
      [0, 1, 5, 4],
    ]);
    // /usr/bin/python3 -c "import numpy as np; print(repr(np.linalg.svd(np.array(
    //   [[5,3,0,1],[4,0,0,1],[1,1,0,5],[1,0,0,4],[0,1,5,4]], dtype=float), compute_uv=False)))"
    const numpyS = [9.031719736180422, 6.22925557411441, 3.7739703770353135, 1.8389021705119302];
    const { U, S, Vh } = svd(R);
    expect(maxDiff(S, numpyS)).toBeLessThan(1e-12);
    expect(maxDiff(reconstruct(U, S, Vh), R)).toBeLessThan(1e-12);
    // Also for the transpose (the wide path).
    expect(maxDiff(svd(R.T).S, numpyS)).toBeLessThan(1e-12);
  });

  it('gives hand-checkable answers for diagonal and 2×2 matrices', () => {
    // diag(1, -3, 2): singular values are |d| sorted; vectors are signed unit vectors.
    const { U, S, Vh } = svd(
      f64([
        [1, 0, 0],
        [0, -3, 0],
        [0, 0, 2],
      ]),
    );
    expect(Array.from(S.toTypedArray())).toEqual([3, 2, 1]);
    expect(U.toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(Vh.toArray()).toEqual([
      [0, -1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
    // [[3, 0], [4, 5]]: AᵀA = [[25, 20], [20, 25]] has eigenvalues 45 and 5.
    const s2 = svd(
      f64([
        [3, 0],
        [4, 5],
      ]),
    ).S.toTypedArray();
    expect(s2[0]).toBeCloseTo(3 * Math.sqrt(5), 14);
    expect(s2[1]).toBeCloseTo(Math.sqrt(5), 14);
    // Rotation by 30° times diag(2, 1): singular values 2 and 1.
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const rs = svd(
      f64([
        [2 * c, -s],
        [2 * s, c],
      ]),
    ).S.toTypedArray();
    expect(maxDiff(rs, [2, 1])).toBeLessThan(1e-15);
  });

  it('applies the sign convention: the largest-magnitude entry of each U column is positive', () => {
    const a = randomMatrix(9, 5, 3);
    const { U, S, Vh } = svd(a);
    for (let j = 0; j < 5; j++) {
      let best = 0;
      for (let i = 0; i < 9; i++) if (Math.abs(U.get(i, j)) > Math.abs(best)) best = U.get(i, j);
      expect(best).toBeGreaterThan(0);
    }
    // Negating A flips Vh but leaves U (the convention is U-based) and S alone.
    const neg = svd(
      new Tensor(
        a.toTypedArray().map((v) => -v),
        [9, 5],
      ),
    );
    expect(maxDiff(neg.U, U)).toBeLessThan(1e-12);
    expect(maxDiff(neg.S, S)).toBeLessThan(1e-12);
    expect(
      maxDiff(
        neg.Vh.toTypedArray().map((v) => -v),
        Vh,
      ),
    ).toBeLessThan(1e-12);
  });

  it('reports zero singular values for rank-deficient matrices', () => {
    // Rank 2: third column = first + second; fourth row = 2·first row.
    const a = f64([
      [1, 2, 3],
      [4, 5, 9],
      [7, 8, 15],
      [2, 4, 6],
    ]);
    const { U, S, Vh } = svd(a);
    const s = S.toTypedArray();
    expect(s[1]!).toBeGreaterThan(1);
    expect(s[2]!).toBeLessThan(1e-14 * s[0]!);
    expect(maxDiff(reconstruct(U, S, Vh), a)).toBeLessThan(1e-12);
    expect(orthoError(U)).toBeLessThan(1e-12);
    // Rank 1 outer product u vᵀ has one singular value ‖u‖‖v‖.
    const outer = f64([
      [1 * 2, 1 * -1, 1 * 2],
      [2 * 2, 2 * -1, 2 * 2],
    ]);
    const so = svd(outer).S.toTypedArray();
    expect(so[0]).toBeCloseTo(Math.sqrt(5) * 3, 13);
    expect(Math.abs(so[1]!)).toBeLessThan(1e-14);
  });

  it('handles the zero matrix, 1×1 and integer input', () => {
    const z = svd(new Tensor(new Float64Array(12), [4, 3]));
    expect(Array.from(z.S.toTypedArray())).toEqual([0, 0, 0]);
    expect(orthoError(z.U)).toBe(0);
    expect(orthoError(z.Vh, true)).toBe(0);
    const zf = svd(new Tensor(new Float64Array(6), [2, 3]), { full: true });
    expect(orthoError(zf.Vh, true)).toBe(0);
    const one = svd(new Tensor(Float32Array.of(-2.5), [1, 1]));
    expect(one.S.toArray()).toEqual([2.5]);
    expect(one.U.toArray()).toEqual([[1]]);
    expect(one.Vh.toArray()).toEqual([[-1]]);
    const int = svd(new Tensor(Int32Array.of(3, 0, 4, 5), [2, 2]));
    expect(int.S.dtype).toBe('float64');
    expect(int.S.get(1)).toBeCloseTo(Math.sqrt(5), 14);
  });

  it('works on non-contiguous views', () => {
    const a = randomMatrix(6, 4, 11);
    const { U, S, Vh } = svd(a.T);
    expect(maxDiff(reconstruct(U, S, Vh), a.T.contiguous())).toBeLessThan(1e-12);
  });

  it('rejects non-matrices and non-finite values naming the op', () => {
    expect(() => svd(new Tensor(new Float64Array(3), [3]))).toThrow(
      /svd: a must be a 2-d matrix, received shape \[3\]/,
    );
    expect(() => svd(new Tensor(Float64Array.of(1, Number.NaN), [1, 2]))).toThrow(
      /svd: a must hold finite values/,
    );
  });

  it('handles a badly scaled, ill-conditioned matrix (Hilbert 8×8) accurately', () => {
    const n = 8;
    const h = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h[i * n + j] = 1 / (i + j + 1);
    const a = new Tensor(h, [n, n]);
    const { U, S, Vh } = svd(a);
    expect(maxDiff(reconstruct(U, S, Vh), a)).toBeLessThan(1e-14);
    // /usr/bin/python3 -c "import numpy as np; H = 1 / (np.arange(8)[:, None] + np.arange(8) + 1);
    //   s = np.linalg.svd(H, compute_uv=False); print(repr(s[0]), repr(s[-1]))"
    expect(S.get(0)).toBeCloseTo(1.6959389969219496, 14);
    // The smallest (1.1e-10, condition number 1.5e10) keeps several correct digits.
    expect(Math.abs(S.get(7) / 1.1115389812040764e-10 - 1)).toBeLessThan(1e-4);
  });

  it('is exposed through the package barrel as linalg.*', () => {
    expect(Object.keys(linalg).sort()).toEqual([
      'eigh',
      'lstsq',
      'norm',
      'pca',
      'qr',
      'solve',
      'svd',
      'truncatedSvd',
    ]);
    expect(linalg.svd).toBe(svd);
  });

  it('decomposes a 200×150 matrix quickly', () => {
    const a = randomMatrix(200, 150, 5);
    const t0 = performance.now();
    const { U, S, Vh } = svd(a);
    const ms = performance.now() - t0;
    expect(maxDiff(reconstruct(U, S, Vh), a)).toBeLessThan(1e-10);
    expect(ms).toBeLessThan(5000);
  });
});
