import { fail } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { matTensor, toMat, transposeData } from './dense.js';

export type QrMode = 'reduced' | 'complete';

export interface QrOptions {
  /** 'reduced' (default): Q is [m, k], R is [k, n] with k = min(m, n). 'complete': Q is [m, m], R is [m, n]. */
  mode?: QrMode;
}

export interface QrResult {
  /** Orthonormal columns, float64. */
  Q: Tensor;
  /** Upper triangular (trapezoidal when wide), float64. */
  R: Tensor;
}

/**
 * In-place Householder QR of a column-major m × n matrix (LAPACK dgeqrf conventions): afterwards the
 * upper triangle holds R and column j below the diagonal holds the reflector v_j (v_j[j] = 1 implied),
 * with H_j = I − tau_j v_j v_jᵀ and Q = H_0 H_1 … H_{k−1}. A column already zero below the diagonal
 * gets tau = 0 (H = I), so R's diagonal may be negative, as in LAPACK and PyTorch.
 */
export function householder(w: Float64Array, m: number, n: number): Float64Array {
  const k = Math.min(m, n);
  const tau = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const cj = j * m;
    let xnorm = 0;
    for (let i = j + 1; i < m; i++) xnorm = Math.hypot(xnorm, w[cj + i]!);
    if (xnorm === 0) continue;
    const alpha = w[cj + j]!;
    const beta = alpha >= 0 ? -Math.hypot(alpha, xnorm) : Math.hypot(alpha, xnorm);
    tau[j] = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) w[cj + i]! *= scale;
    w[cj + j] = beta;
    // Apply H_j to the remaining columns.
    for (let c = j + 1; c < n; c++) {
      const cc = c * m;
      let dot = w[cc + j]!;
      for (let i = j + 1; i < m; i++) dot += w[cj + i]! * w[cc + i]!;
      const t = tau[j]! * dot;
      w[cc + j]! -= t;
      for (let i = j + 1; i < m; i++) w[cc + i]! -= t * w[cj + i]!;
    }
  }
  return tau;
}

/** The first `cols` columns of Q = H_0 … H_{k−1}, column-major m × cols, from householder()'s output. */
export function formQ(w: Float64Array, tau: Float64Array, m: number, cols: number): Float64Array {
  const q = new Float64Array(m * cols);
  for (let j = 0; j < Math.min(m, cols); j++) q[j * m + j] = 1;
  for (let j = tau.length - 1; j >= 0; j--) {
    const tj = tau[j]!;
    if (tj === 0) continue;
    const cj = j * m;
    for (let c = 0; c < cols; c++) {
      const cc = c * m;
      let dot = q[cc + j]!;
      for (let i = j + 1; i < m; i++) dot += w[cj + i]! * q[cc + i]!;
      if (dot === 0) continue;
      const t = tj * dot;
      q[cc + j]! -= t;
      for (let i = j + 1; i < m; i++) q[cc + i]! -= t * w[cj + i]!;
    }
  }
  return q;
}

/**
 * An orthonormal basis (row-major m × l) for the columns of a row-major m × l matrix with m ≥ l:
 * the reduced Householder Q. Used by the randomised range finder.
 */
export function orthonormalize(y: Float64Array, m: number, l: number): Float64Array {
  const w = transposeData(y, m, l);
  const tau = householder(w, m, l);
  return transposeData(formQ(w, tau, m, l), l, m);
}

/**
 * QR decomposition A = Q R by Householder reflections (like `torch.linalg.qr`), in float64.
 * Q has orthonormal columns to working precision whatever the conditioning of A, and R is upper
 * triangular. Signs follow LAPACK: R's diagonal is not forced positive.
 */
export function qr(a: Tensor, opts: QrOptions = {}): QrResult {
  const mode = opts.mode ?? 'reduced';
  if (mode !== 'reduced' && mode !== 'complete')
    fail('qr', `mode must be 'reduced' or 'complete', received ${String(mode)}`);
  const { rows: m, cols: n, data } = toMat('qr', 'a', a);
  const w = transposeData(data, m, n);
  const tau = householder(w, m, n);
  const qCols = mode === 'complete' ? m : Math.min(m, n);
  const Q = transposeData(formQ(w, tau, m, qCols), qCols, m);
  const R = new Float64Array(qCols * n);
  for (let i = 0; i < qCols; i++) for (let j = i; j < n; j++) R[i * n + j] = w[j * m + i]!;
  return { Q: matTensor(Q, m, qCols), R: matTensor(R, qCols, n) };
}
