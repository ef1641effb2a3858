import { describe, expect, it } from 'vitest';
import { Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { svd } from './svd.js';
import { leading, maxDiff, mm, orthoError, randomMatrix, reconstruct } from './test-utils/checks.js';
import { truncatedSvd } from './truncated-svd.js';

/** A [m, n] matrix U · diag(s) · Vᵀ with random orthonormal U, V (from the SVD of Gaussian matrices). */
function withSpectrum(m: number, n: number, s: number[], seed: number): Tensor {
  const U = svd(randomMatrix(m, s.length, seed)).U;
  const V = svd(randomMatrix(n, s.length, seed + 1)).U;
  const us = new Float64Array(m * s.length);
  for (let i = 0; i < m; i++) for (let j = 0; j < s.length; j++) us[i * s.length + j] = U.get(i, j) * s[j]!;
  return new Tensor(Float64Array.from(mm(new Tensor(us, [m, s.length]), V.T)), [m, n]);
}

describe('linalg.truncatedSvd', () => {
  it('recovers the exact top-k SVD of a low-rank matrix', () => {
    // Rank 6 = product of Gaussian 120×6 and 6×80 factors.
    const a = new Tensor(Float64Array.from(mm(randomMatrix(120, 6, 1), randomMatrix(6, 80, 2))), [120, 80]);
    const exact = svd(a);
    for (const k of [3, 6]) {
      const { U, S, Vh } = truncatedSvd(a, k, { generator: new Generator(0) });
      expect(U.shape).toEqual([120, k]);
      expect(S.shape).toEqual([k]);
      expect(Vh.shape).toEqual([k, 80]);
      expect(maxDiff(S, leading(exact.S, k, 'values'))).toBeLessThan(1e-10 * exact.S.get(0));
      // Distinct singular values + the shared sign convention → the same vectors, not just the same subspace.
      expect(maxDiff(U, leading(exact.U, k, 'cols'))).toBeLessThan(1e-9);
      expect(maxDiff(Vh, leading(exact.Vh, k, 'rows'))).toBeLessThan(1e-9);
      expect(orthoError(U)).toBeLessThan(1e-12);
      expect(orthoError(Vh, true)).toBeLessThan(1e-12);
    }
    // k = rank reconstructs A.
    const t = truncatedSvd(a, 6, { generator: new Generator(1) });
    expect(maxDiff(reconstruct(t.U, t.S, t.Vh), a)).toBeLessThan(1e-10 * exact.S.get(0));
  });

  it('approximates the leading singular values of a decaying spectrum', () => {
    // Singular values 0.7^i, i = 0..59, on a 200×100 matrix (full rank 60 > k + oversample).
    const s = Array.from({ length: 60 }, (_, i) => 0.7 ** i);
    const a = withSpectrum(200, 100, s, 3);
    const k = 8;
    const { S, U, Vh } = truncatedSvd(a, k, { generator: new Generator(2) });
    const exact = svd(a).S.toTypedArray();
    for (let i = 0; i < k; i++) expect(Math.abs(S.get(i) - exact[i]!) / exact[i]!).toBeLessThan(1e-8);
    // Residual ‖A − U S Vh‖ is close to the optimum σ_{k+1} (checked entrywise via the max-abs bound).
    const rec = reconstruct(U, S, Vh);
    let worst = 0;
    a.toTypedArray().forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - rec[i]!));
    });
    expect(worst).toBeLessThan(exact[k]! * 1.01);
    // Without power iterations or oversampling the estimate is worse but still a lower bound.
    const rough = truncatedSvd(a, k, { powerIters: 0, oversample: 0, generator: new Generator(2) });
    for (let i = 0; i < k; i++) expect(rough.S.get(i)).toBeLessThanOrEqual(exact[i]! * (1 + 1e-12));
  });

  it('is reproducible with a seeded generator and handles wide input', () => {
    const a = randomMatrix(15, 41, 9);
    const r1 = truncatedSvd(a, 4, { generator: new Generator(5) });
    const r2 = truncatedSvd(a, 4, { generator: new Generator(5) });
    expect(maxDiff(r1.U, r2.U)).toBe(0);
    expect(r1.Vh.shape).toEqual([4, 41]);
    // k + oversample ≥ min(m, n): the range is captured exactly.
    const whole = truncatedSvd(a, 4, { oversample: 20, generator: new Generator(5) });
    expect(maxDiff(whole.S, leading(svd(a).S, 4, 'values'))).toBeLessThan(1e-10);
  });

  it('gives the same answer through the sparse (CSR) path', () => {
    // 20% density selects the CSR operator; l = min(m, n) captures the whole range, so S is exact.
    const g = new Generator(4);
    const data = new Float64Array(61 * 45);
    for (let i = 0; i < data.length; i++) if (g.random() < 0.2) data[i] = g.normal();
    const a = new Tensor(data, [61, 45]);
    const exact = svd(a);
    const { U, S, Vh } = truncatedSvd(a, 5, { oversample: 40, generator: new Generator(1) });
    expect(maxDiff(S, leading(exact.S, 5, 'values'))).toBeLessThan(1e-12);
    expect(maxDiff(U, leading(exact.U, 5, 'cols'))).toBeLessThan(1e-10);
    expect(maxDiff(Vh, leading(exact.Vh, 5, 'rows'))).toBeLessThan(1e-10);
  });

  it('handles a 10 000 × 2 000 sparse matrix in seconds', () => {
    // Planted structure: 5 blocks on disjoint rows/columns, block r = s_r · u_r v_rᵀ, so the singular values
    // are exactly s_r, plus sparse noise (0.5% density, σ = 0.01, spectral norm ≈ 0.1).
    const m = 10_000;
    const n = 2_000;
    const planted = [50, 40, 30, 20, 10];
    const g = new Generator(42);
    const data = new Float32Array(m * n);
    const us: Float64Array[] = [];
    planted.forEach((sv, r) => {
      const rows = Array.from({ length: 400 }, (_, i) => r * 400 + i);
      const cols = Array.from({ length: 50 }, (_, j) => r * 50 + j);
      const u = rows.map(() => g.normal());
      const v = cols.map(() => g.normal());
      const nu = Math.hypot(...u);
      const nv = Math.hypot(...v);
      const uFull = new Float64Array(m);
      rows.forEach((row, i) => {
        uFull[row] = u[i]! / nu;
        cols.forEach((col, j) => {
          data[row * n + col] = (sv * u[i]! * v[j]!) / (nu * nv);
        });
      });
      us.push(uFull);
    });
    for (let t = 0; t < m * n * 0.005; t++) {
      const at = g.randint(0, m * n);
      data[at] = data[at]! + 0.01 * g.normal();
    }
    const a = new Tensor(data, [m, n]);
    const t0 = performance.now();
    const { U, S } = truncatedSvd(a, 5, { generator: new Generator(0) });
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(10_000);
    // Weyl: |σ_i(A + E) − σ_i(A)| ≤ ‖E‖₂; float32 storage adds ~1e-7 relative error.
    expect(maxDiff(S, planted)).toBeLessThan(0.3);
    for (let r = 0; r < 5; r++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += U.get(i, r) * us[r]![i]!;
      expect(Math.abs(dot)).toBeGreaterThan(0.99);
    }
  }, 30_000);

  it('rejects bad k and options naming the op', () => {
    const a = randomMatrix(5, 4, 1);
    expect(() => truncatedSvd(a, 0)).toThrow(/truncatedSvd: k must be an integer in \[1, 4\]/);
    expect(() => truncatedSvd(a, 5)).toThrow(/truncatedSvd: k must be an integer in \[1, 4\]/);
    expect(() => truncatedSvd(a, 2, { powerIters: -1 })).toThrow(
      /truncatedSvd: powerIters must be an integer ≥ 0/,
    );
  });
});
