import { fail, fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { type Mat, toMat } from './dense.js';

const EPS = 2 ** -52;

/**
 * Reads the right-hand side of a linear system: a vector [m] (one column) or a matrix [m, k].
 * Returns it row-major m × k plus whether it was a vector, so the answer can take the same form.
 */
export function readRhs(
  op: string,
  b: Tensor,
  m: number,
  aShape: readonly number[],
): { B: Mat; vector: boolean } {
  if (!(b instanceof Tensor)) fail(op, `b must be a Tensor, received ${typeof b}`);
  if ((b.ndim !== 1 && b.ndim !== 2) || b.shape[0] !== m) {
    fail(op, `b must be [${m}] or [${m}, k] to match a ${fmtShape(aShape)}, received ${fmtShape(b.shape)}`);
  }
  const vector = b.ndim === 1;
  const B = toMat(op, 'b', vector ? b.reshape([m, 1]) : b);
  return { B, vector };
}

/**
 * Solves a · x = b for square `a` (like `torch.linalg.solve`) by LU factorisation with partial
 * pivoting, in float64. `b` is a vector [n] (x is [n]) or a matrix [n, k] (x is [n, k]).
 * Throws when `a` is singular to working precision: a pivot no larger than n·eps·max|a|.
 */
export function solve(a: Tensor, b: Tensor): Tensor {
  const { rows: n, cols, data: A } = toMat('solve', 'a', a);
  if (n !== cols) fail('solve', `a must be square, received shape ${fmtShape(a.shape)}`);
  const { B, vector } = readRhs('solve', b, n, a.shape);
  const k = B.cols;
  const X = B.data;
  let maxAbs = 0;
  for (let i = 0; i < A.length; i++) maxAbs = Math.max(maxAbs, Math.abs(A[i]!));
  const tol = n * EPS * maxAbs;

  for (let j = 0; j < n; j++) {
    // Partial pivoting: bring the largest |a_ij| (i ≥ j) to the diagonal, in A and in the RHS.
    let piv = j;
    for (let i = j + 1; i < n; i++) if (Math.abs(A[i * n + j]!) > Math.abs(A[piv * n + j]!)) piv = i;
    const pv = A[piv * n + j]!;
    if (!(Math.abs(pv) > tol)) {
      fail(
        'solve',
        `a is singular: pivot ${j} of ${n} is ${Math.abs(pv).toExponential(3)} after elimination (≤ n·eps·max|a| = ${tol.toExponential(3)}); use lstsq for singular or rank-deficient systems`,
      );
    }
    if (piv !== j) {
      swapRows(A, n, piv, j);
      swapRows(X, k, piv, j);
    }
    for (let i = j + 1; i < n; i++) {
      const l = A[i * n + j]! / pv;
      if (l === 0) continue;
      A[i * n + j] = l;
      for (let c = j + 1; c < n; c++) A[i * n + c]! -= l * A[j * n + c]!;
      for (let c = 0; c < k; c++) X[i * k + c]! -= l * X[j * k + c]!;
    }
  }
  // Back substitution with U.
  for (let i = n - 1; i >= 0; i--) {
    for (let c = 0; c < k; c++) {
      let s = X[i * k + c]!;
      for (let p = i + 1; p < n; p++) s -= A[i * n + p]! * X[p * k + c]!;
      X[i * k + c] = s / A[i * n + i]!;
    }
  }
  return new Tensor(X, vector ? [n] : [n, k]);
}

function swapRows(w: Float64Array, cols: number, r1: number, r2: number): void {
  for (let c = 0; c < cols; c++) {
    const t = w[r1 * cols + c]!;
    w[r1 * cols + c] = w[r2 * cols + c]!;
    w[r2 * cols + c] = t;
  }
}
