import { fail, fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { matTensor, toMat } from './dense.js';

export interface EighOptions {
  /** Which triangle of `a` is read ('L', the default, like PyTorch); the other is ignored. */
  uplo?: 'L' | 'U';
}

export interface EighResult {
  /** Eigenvalues in ascending order (like `torch.linalg.eigh`), float64 [n]. */
  eigenvalues: Tensor;
  /** Orthonormal eigenvectors as columns, float64 [n, n]: a · eigenvectors[:, i] = eigenvalues[i] · eigenvectors[:, i]. */
  eigenvectors: Tensor;
}

const EPS = 2 ** -52;

/**
 * Eigen-decomposition of a real symmetric matrix (like `torch.linalg.eigh`), in float64.
 *
 * Algorithm: cyclic Jacobi rotations — slower than tridiagonal QR for big matrices (O(n³) per sweep,
 * typically 6–10 sweeps) but simple and very accurate: eigenvalues to about 1e-15·‖A‖ and eigenvectors
 * orthonormal to working precision.
 *
 * Only one triangle is read (`uplo`, default lower), as in PyTorch. Signs are deterministic: each
 * eigenvector has its largest-magnitude entry (first on ties) positive. Eigenvectors of repeated
 * eigenvalues are an arbitrary orthonormal basis of their eigenspace.
 */
export function eigh(a: Tensor, opts: EighOptions = {}): EighResult {
  const uplo = opts.uplo ?? 'L';
  if (uplo !== 'L' && uplo !== 'U') fail('eigh', `uplo must be 'L' or 'U', received ${String(uplo)}`);
  const { rows: n, cols, data: A } = toMat('eigh', 'a', a);
  if (n !== cols) fail('eigh', `a must be square, received shape ${fmtShape(a.shape)}`);
  // Mirror the chosen triangle so A is exactly symmetric.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (uplo === 'L') A[j * n + i] = A[i * n + j]!;
      else A[i * n + j] = A[j * n + i]!;
    }
  }
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;

  let frob2 = 0;
  for (let i = 0; i < n * n; i++) frob2 += A[i]! * A[i]!;
  const tol = EPS * EPS * frob2;
  let converged = false;
  for (let sweep = 0; sweep < 100 && !converged; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q]! * A[p * n + q]!;
    if (off <= tol) {
      converged = true;
      break;
    }
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (apq === 0) continue;
        const app = A[p * n + p]!;
        const aqq = A[q * n + q]!;
        // Rotation angle that zeroes a_pq (Golub & Van Loan, symmetric Schur 2×2), small-angle form.
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.hypot(1, theta));
        const c = 1 / Math.hypot(1, t);
        const s = t * c;
        // A ← Jᵀ A J with J = [[c, s], [−s, c]] in rows/columns p, q.
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p]!;
          const akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k]!;
          const aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        A[p * n + q] = 0;
        A[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!;
          const vkq = V[k * n + q]!;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  if (!converged) fail('eigh', 'Jacobi iteration did not converge in 100 sweeps');

  // Sort ascending (stable, so equal eigenvalues keep their order) and fix signs.
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => A[x * n + x]! - A[y * n + y]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = A[src * n + src]!;
    let best = 0;
    for (let k = 1; k < n; k++) if (Math.abs(V[k * n + src]!) > Math.abs(V[best * n + src]!)) best = k;
    const sign = V[best * n + src]! < 0 ? -1 : 1;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = sign * V[k * n + src]! + 0; // + 0 turns −0 into 0
  });
  return { eigenvalues: new Tensor(values, [n]), eigenvectors: matTensor(vectors, n, n) };
}
