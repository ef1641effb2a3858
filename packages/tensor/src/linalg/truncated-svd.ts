import { fail, fmtShape } from '../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { matmulData, matTensor } from './dense.js';
import { orthonormalize } from './qr.js';
import { applySigns, clearNegativeZeros, type SvdResult, svdData } from './svd.js';

export interface TruncatedSvdOptions {
  /** Extra random directions sampled beyond k (Halko et al.'s p); default 10. */
  oversample?: number;
  /** Power (subspace) iterations, each re-orthonormalised by QR; default 4. More sharpen a flat spectrum. */
  powerIters?: number;
  /** Source of the Gaussian test matrix; default the global generator (seed it with manualSeed). */
  generator?: Generator;
}

/**
 * A read-only m × n operator over a matrix: CSR when at most half the entries are non-zero (so a
 * sparse-ish matrix costs time in proportion to its non-zeros), dense row-major otherwise.
 */
interface Operator {
  m: number;
  n: number;
  /** Y = A · X for row-major X (n × l); Y is m × l. */
  times(x: Float64Array, l: number): Float64Array;
  /** Z = Aᵀ · Y for row-major Y (m × l); Z is n × l. */
  timesT(y: Float64Array, l: number): Float64Array;
}

function operator(a: Tensor): Operator {
  if (!(a instanceof Tensor)) fail('truncatedSvd', `a must be a Tensor, received ${typeof a}`);
  if (a.ndim !== 2) fail('truncatedSvd', `a must be a 2-d matrix, received shape ${fmtShape(a.shape)}`);
  const [m, n] = a.shape as [number, number];
  const src = a.toTypedArray();
  let nnz = 0;
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (v !== 0) {
      if (!Number.isFinite(v))
        fail('truncatedSvd', `a must hold finite values, found ${v} at flat index ${i}`);
      nnz++;
    }
  }
  if (nnz * 2 > src.length) {
    const d = src instanceof Float64Array ? src : Float64Array.from(src);
    return { m, n, times: (x, l) => denseTimes(d, m, n, x, l), timesT: (y, l) => denseTimesT(d, m, n, y, l) };
  }
  const rowPtr = new Int32Array(m + 1);
  const cols = new Int32Array(nnz);
  const vals = new Float64Array(nnz);
  let p = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const v = src[i * n + j]!;
      if (v === 0) continue;
      cols[p] = j;
      vals[p++] = v;
    }
    rowPtr[i + 1] = p;
  }
  return {
    m,
    n,
    times: (x, l) => {
      const y = new Float64Array(m * l);
      for (let i = 0; i < m; i++) {
        for (let q = rowPtr[i]!; q < rowPtr[i + 1]!; q++) {
          const v = vals[q]!;
          const xo = cols[q]! * l;
          for (let c = 0; c < l; c++) y[i * l + c]! += v * x[xo + c]!;
        }
      }
      return y;
    },
    timesT: (y, l) => {
      const z = new Float64Array(n * l);
      for (let i = 0; i < m; i++) {
        for (let q = rowPtr[i]!; q < rowPtr[i + 1]!; q++) {
          const v = vals[q]!;
          const zo = cols[q]! * l;
          for (let c = 0; c < l; c++) z[zo + c]! += v * y[i * l + c]!;
        }
      }
      return z;
    },
  };
}

// Dense products are organised so the innermost loops run over a row of A (length n, contiguous) rather
// than over the l ≈ k + 10 sample columns: about 2.5× faster in V8 than a plain i-k-j loop.

/** Y = A · X (A row-major m × n, X row-major n × l): dot products of A's rows with Xᵀ's rows. */
function denseTimes(a: Float64Array, m: number, n: number, x: Float64Array, l: number): Float64Array {
  const xt = new Float64Array(l * n);
  for (let j = 0; j < n; j++) for (let c = 0; c < l; c++) xt[c * n + j] = x[j * l + c]!;
  const y = new Float64Array(m * l);
  for (let i = 0; i < m; i++) {
    const ai = i * n;
    for (let c = 0; c < l; c++) {
      const xc = c * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let j = 0;
      for (; j + 3 < n; j += 4) {
        s0 += a[ai + j]! * xt[xc + j]!;
        s1 += a[ai + j + 1]! * xt[xc + j + 1]!;
        s2 += a[ai + j + 2]! * xt[xc + j + 2]!;
        s3 += a[ai + j + 3]! * xt[xc + j + 3]!;
      }
      for (; j < n; j++) s0 += a[ai + j]! * xt[xc + j]!;
      y[i * l + c] = s0 + s1 + (s2 + s3);
    }
  }
  return y;
}

/** Z = Aᵀ · Y (Y row-major m × l): Zᵀ rows accumulate four rows of A per pass. */
function denseTimesT(a: Float64Array, m: number, n: number, y: Float64Array, l: number): Float64Array {
  const zt = new Float64Array(l * n);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const a0 = i * n;
    const a1 = a0 + n;
    const a2 = a1 + n;
    const a3 = a2 + n;
    for (let c = 0; c < l; c++) {
      const v0 = y[i * l + c]!;
      const v1 = y[(i + 1) * l + c]!;
      const v2 = y[(i + 2) * l + c]!;
      const v3 = y[(i + 3) * l + c]!;
      const zc = c * n;
      for (let j = 0; j < n; j++)
        zt[zc + j]! += v0 * a[a0 + j]! + v1 * a[a1 + j]! + v2 * a[a2 + j]! + v3 * a[a3 + j]!;
    }
  }
  for (; i < m; i++) {
    const ai = i * n;
    for (let c = 0; c < l; c++) {
      const v = y[i * l + c]!;
      const zc = c * n;
      for (let j = 0; j < n; j++) zt[zc + j]! += v * a[ai + j]!;
    }
  }
  const z = new Float64Array(n * l);
  for (let c = 0; c < l; c++) for (let j = 0; j < n; j++) z[j * l + c] = zt[c * n + j]!;
  return z;
}

function checkCount(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min)
    fail('truncatedSvd', `${name} must be an integer ≥ ${min}, received ${v}`);
}

/**
 * The top-k singular triplets of `a` by the randomised range finder of Halko, Martinsson & Tropp (2011):
 * sample Y = A·Ω with a Gaussian Ω of k + oversample columns, sharpen it with `powerIters` rounds of
 * Q ← orth(A·orth(Aᵀ·Q)) (QR after every product keeps small singular directions from being lost to
 * rounding), then take the exact SVD of the small matrix Qᵀ·A. Costs O((powerIters + 1)·nnz(a)·(k + p))
 * plus small dense work: a 10 000 × 2 000 matrix at 0.5% density takes well under a second, a dense
 * one a few seconds (k = 20).
 *
 * Returns float64 U [m, k], S [k] (descending) and Vh [k, n] with the same sign convention as `svd`.
 * The result is approximate: exact when rank(a) ≤ k + oversample, otherwise its error shrinks like
 * (σ_{k+p+1} / σ_k)^(2·powerIters + 1).
 */
export function truncatedSvd(a: Tensor, k: number, opts: TruncatedSvdOptions = {}): SvdResult {
  const A = operator(a);
  const { m, n } = A;
  const r = Math.min(m, n);
  if (!Number.isInteger(k) || k < 1 || k > r) {
    fail(
      'truncatedSvd',
      `k must be an integer in [1, ${r}] for a of shape ${fmtShape(a.shape)}, received ${k}`,
    );
  }
  const oversample = opts.oversample ?? 10;
  const powerIters = opts.powerIters ?? 4;
  checkCount('oversample', oversample, 0);
  checkCount('powerIters', powerIters, 0);
  const g = opts.generator ?? defaultGenerator;
  const l = Math.min(k + oversample, r);

  const omega = new Float64Array(n * l);
  for (let i = 0; i < omega.length; i++) omega[i] = g.normal();
  let Q = orthonormalize(A.times(omega, l), m, l);
  for (let it = 0; it < powerIters; it++) {
    const Z = orthonormalize(A.timesT(Q, l), n, l);
    Q = orthonormalize(A.times(Z, l), m, l);
  }
  // B = Qᵀ A (l × n) is the transpose of Aᵀ Q (n × l).
  const Bt = A.timesT(Q, l);
  const B = new Float64Array(l * n);
  for (let j = 0; j < n; j++) for (let c = 0; c < l; c++) B[c * n + j] = Bt[j * l + c]!;
  const small = svdData({ rows: l, cols: n, data: B }, false);
  // U = Q · Ub, keeping the first k columns of Ub (l × l) and rows of Vh.
  const Ub = new Float64Array(l * k);
  for (let i = 0; i < l; i++) for (let c = 0; c < k; c++) Ub[i * k + c] = small.U![i * l + c]!;
  const U = matmulData(Q, Ub, m, l, k);
  const Vh = small.Vh!.slice(0, k * n);
  applySigns(U, m, k, Vh, k, n);
  clearNegativeZeros(U);
  clearNegativeZeros(Vh);
  return { U: matTensor(U, m, k), S: new Tensor(small.S.slice(0, k), [k]), Vh: matTensor(Vh, k, n) };
}
