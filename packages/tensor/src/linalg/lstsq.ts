import { fail } from '../errors.js';
import { Tensor } from '../tensor.js';
import { toMat } from './dense.js';
import { readRhs } from './solve.js';
import { svdData } from './svd.js';

const EPS_DEFAULT = 2 ** -52;

export interface LstsqOptions {
  /**
   * Singular values at most rcond · max(S) are treated as zero (this sets the reported rank).
   * Default eps · max(m, n), as in PyTorch's 'gelsd' driver and NumPy.
   */
  rcond?: number;
}

export interface LstsqResult {
  /** The minimum-norm least-squares solution: [n] for a vector b, [n, k] for a matrix b. */
  solution: Tensor;
  /**
   * Squared residual norms ‖b − a·x‖² per column of b ([1] for a vector b, [k] otherwise), present only
   * when m > n and a has full column rank — the cases where NumPy's `lstsq` returns them.
   */
  residuals?: Tensor;
  /** Effective rank of a under rcond. */
  rank: number;
  /** Singular values of a, descending, float64 [min(m, n)]. */
  singularValues: Tensor;
}

/**
 * Least-squares solution of a · x ≈ b (like `torch.linalg.lstsq` with the SVD-based 'gelsd' driver),
 * in float64: x = V · diag(1/s_i) · Uᵀ · b over the singular values above rcond · max(S), which gives the
 * minimum-norm solution for rank-deficient and underdetermined systems too.
 */
export function lstsq(a: Tensor, b: Tensor, opts: LstsqOptions = {}): LstsqResult {
  const A = toMat('lstsq', 'a', a);
  const { rows: m, cols: n } = A;
  const { B, vector } = readRhs('lstsq', b, m, a.shape);
  const k = B.cols;
  const rcond = opts.rcond ?? EPS_DEFAULT * Math.max(m, n);
  if (!(rcond >= 0)) fail('lstsq', `rcond must be a non-negative number, received ${rcond}`);
  const d = svdData(A, false);
  const U = d.U!;
  const Vh = d.Vh!;
  const S = d.S;
  const r = S.length;
  const cut = r > 0 ? rcond * S[0]! : 0;
  let rank = 0;
  while (rank < r && S[rank]! > cut) rank++;

  // c = diag(1/s) · Uᵀ b over the kept values, then x = Vhᵀ c.
  const c = new Float64Array(rank * k);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < rank; p++) {
      const uip = U[i * r + p]!;
      if (uip === 0) continue;
      for (let j = 0; j < k; j++) c[p * k + j]! += uip * B.data[i * k + j]!;
    }
  }
  for (let p = 0; p < rank; p++) for (let j = 0; j < k; j++) c[p * k + j]! /= S[p]!;
  const x = new Float64Array(n * k);
  for (let p = 0; p < rank; p++) {
    for (let i = 0; i < n; i++) {
      const v = Vh[p * n + i]!;
      for (let j = 0; j < k; j++) x[i * k + j]! += v * c[p * k + j]!;
    }
  }

  const result: LstsqResult = {
    solution: new Tensor(x, vector ? [n] : [n, k]),
    rank,
    singularValues: new Tensor(S, [r]),
  };
  if (m > n && rank === n) {
    // Residuals from b − a·x directly (more accurate than ‖b‖² − ‖Uᵀb‖²).
    const res = new Float64Array(k);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < k; j++) {
        let s = B.data[i * k + j]!;
        for (let p = 0; p < n; p++) s -= A.data[i * n + p]! * x[p * k + j]!;
        res[j]! += s * s;
      }
    }
    result.residuals = new Tensor(res, [k]);
  }
  return result;
}
