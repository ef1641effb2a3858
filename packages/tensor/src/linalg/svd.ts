import { fail } from '../errors.js';
import { Tensor } from '../tensor.js';
import { type Mat, matTensor, toMat, transposeData } from './dense.js';

export interface SvdOptions {
  /**
   * false (default): thin SVD, U is [m, k], Vh is [k, n] with k = min(m, n).
   * true: full SVD, U is [m, m] and Vh is [n, n] (like `torch.linalg.svd(a, full_matrices=True)`).
   */
  full?: boolean;
}

export interface SvdResult {
  /** Left singular vectors as columns, float64. */
  U: Tensor;
  /** Singular values, float64, sorted descending, non-negative. */
  S: Tensor;
  /** Right singular vectors as rows (Vᵀ), float64. */
  Vh: Tensor;
}

/** Row-major factors of an SVD, with the sign convention applied. */
export interface SvdData {
  m: number;
  n: number;
  /** m × uCols, row-major (absent when vectors were not asked for). */
  U?: Float64Array;
  uCols: number;
  /** min(m, n) values, descending. */
  S: Float64Array;
  /** vRows × n, row-major (absent when vectors were not asked for). */
  Vh?: Float64Array;
  vRows: number;
}

const EPS = 2 ** -52;
const TINY = 2 ** -966;

/**
 * Golub–Kahan–Reinsch SVD of a column-major m × n matrix with m ≥ n (the LINPACK dsvdc / JAMA
 * algorithm: Householder bidiagonalisation, then implicit-shift QR on the bidiagonal).
 * Column-major storage keeps every Householder and Givens update on contiguous memory.
 * `a` is overwritten. U is column-major m × uCols (uCols = n or m); V is column-major n × n.
 */
function gkr(
  a: Float64Array,
  m: number,
  n: number,
  uCols: number,
  wantU: boolean,
  wantV: boolean,
): {
  s: Float64Array;
  u: Float64Array;
  v: Float64Array;
} {
  const s = new Float64Array(n);
  const e = new Float64Array(n);
  const work = new Float64Array(m);
  const u = new Float64Array(wantU ? m * uCols : 0);
  const v = new Float64Array(wantV ? n * n : 0);
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));

  // Reduce A to bidiagonal form: s holds the diagonal, e the superdiagonal.
  for (let k = 0; k < Math.max(nct, nrt); k++) {
    const ck = k * m;
    if (k < nct) {
      // Column reflector: zero A[k+1:, k].
      let nrm = 0;
      for (let i = k; i < m; i++) nrm = Math.hypot(nrm, a[ck + i]!);
      if (nrm !== 0) {
        if (a[ck + k]! < 0) nrm = -nrm;
        for (let i = k; i < m; i++) a[ck + i]! /= nrm;
        a[ck + k]! += 1;
      }
      s[k] = -nrm;
    }
    for (let j = k + 1; j < n; j++) {
      const cj = j * m;
      if (k < nct && s[k] !== 0) {
        let t = 0;
        for (let i = k; i < m; i++) t += a[ck + i]! * a[cj + i]!;
        t = -t / a[ck + k]!;
        for (let i = k; i < m; i++) a[cj + i]! += t * a[ck + i]!;
      }
      e[j] = a[cj + k]!; // row k, used for the row reflector below
    }
    if (wantU && k < nct) for (let i = k; i < m; i++) u[ck + i] = a[ck + i]!;
    if (k < nrt) {
      // Row reflector: zero A[k, k+2:].
      let nrm = 0;
      for (let i = k + 1; i < n; i++) nrm = Math.hypot(nrm, e[i]!);
      if (nrm !== 0) {
        if (e[k + 1]! < 0) nrm = -nrm;
        for (let i = k + 1; i < n; i++) e[i]! /= nrm;
        e[k + 1]! += 1;
      }
      e[k] = -nrm;
      if (k + 1 < m && nrm !== 0) {
        work.fill(0, k + 1, m);
        for (let j = k + 1; j < n; j++) {
          const ej = e[j]!;
          const cj = j * m;
          for (let i = k + 1; i < m; i++) work[i]! += ej * a[cj + i]!;
        }
        for (let j = k + 1; j < n; j++) {
          const t = -e[j]! / e[k + 1]!;
          const cj = j * m;
          for (let i = k + 1; i < m; i++) a[cj + i]! += t * work[i]!;
        }
      }
      if (wantV) for (let i = k + 1; i < n; i++) v[k * n + i] = e[i]!;
    }
  }

  let p = n; // order of the bidiagonal (m ≥ n here)
  if (nct < n) s[nct] = a[nct * m + nct]!;
  if (nrt + 1 < p) e[nrt] = a[(p - 1) * m + nrt]!;
  e[p - 1] = 0;

  if (wantU) {
    // Accumulate the column reflectors (backwards) into U; columns past nct start as identity.
    for (let j = nct; j < uCols; j++) {
      u.fill(0, j * m, (j + 1) * m);
      u[j * m + j] = 1;
    }
    for (let k = nct - 1; k >= 0; k--) {
      const ck = k * m;
      if (s[k] !== 0) {
        for (let j = k + 1; j < uCols; j++) {
          const cj = j * m;
          let t = 0;
          for (let i = k; i < m; i++) t += u[ck + i]! * u[cj + i]!;
          t = -t / u[ck + k]!;
          for (let i = k; i < m; i++) u[cj + i]! += t * u[ck + i]!;
        }
        for (let i = k; i < m; i++) u[ck + i] = -u[ck + i]!;
        u[ck + k] = 1 + u[ck + k]!;
        u.fill(0, ck, ck + k);
      } else {
        u.fill(0, ck, ck + m);
        u[ck + k] = 1;
      }
    }
  }
  if (wantV) {
    for (let k = n - 1; k >= 0; k--) {
      const ck = k * n;
      if (k < nrt && e[k] !== 0) {
        for (let j = k + 1; j < n; j++) {
          const cj = j * n;
          let t = 0;
          for (let i = k + 1; i < n; i++) t += v[ck + i]! * v[cj + i]!;
          t = -t / v[ck + k + 1]!;
          for (let i = k + 1; i < n; i++) v[cj + i]! += t * v[ck + i]!;
        }
      }
      v.fill(0, ck, ck + n);
      v[ck + k] = 1;
    }
  }

  // Rotate columns j and k of a column-major matrix with `len` rows: (x, y) ← (c·x + s·y, −s·x + c·y).
  const rot = (w: Float64Array, len: number, j: number, k: number, cs: number, sn: number): void => {
    const oj = j * len;
    const ok = k * len;
    for (let i = 0; i < len; i++) {
      const x = w[oj + i]!;
      const y = w[ok + i]!;
      w[oj + i] = cs * x + sn * y;
      w[ok + i] = -sn * x + cs * y;
    }
  };

  // Implicit-shift QR on the bidiagonal until every superdiagonal entry is negligible.
  const pp = p - 1;
  let iter = 0;
  const maxIter = 75 * Math.max(n, 1);
  let totalIter = 0;
  while (p > 0) {
    if (++totalIter > maxIter * 4) fail('svd', `QR iteration did not converge after ${totalIter} steps`);
    let k: number;
    let kase: number;
    for (k = p - 2; k >= 0; k--) {
      if (Math.abs(e[k]!) <= TINY + EPS * (Math.abs(s[k]!) + Math.abs(s[k + 1]!))) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4; // s[p-1] has converged
    } else {
      let ks: number;
      for (ks = p - 1; ks > k; ks--) {
        const t = (ks !== p ? Math.abs(e[ks]!) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]!) : 0);
        if (Math.abs(s[ks]!) <= TINY + EPS * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k)
        kase = 3; // a QR step on the unreduced block k+1 .. p-1
      else if (ks === p - 1)
        kase = 1; // s[p-1] is zero: deflate
      else {
        kase = 2; // s[ks] is zero: split
        k = ks;
      }
    }
    k++;

    if (kase === 1) {
      let f = e[p - 2]!;
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = Math.hypot(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1]!;
          e[j - 1] = cs * e[j - 1]!;
        }
        if (wantV) rot(v, n, j, p - 1, cs, sn);
      }
    } else if (kase === 2) {
      let f = e[k - 1]!;
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = Math.hypot(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        f = -sn * e[j]!;
        e[j] = cs * e[j]!;
        if (wantU) rot(u, m, j, k - 1, cs, sn);
      }
    } else if (kase === 3) {
      // Wilkinson-style shift from the trailing 2 × 2 of BᵀB, computed on scaled values.
      const scale = Math.max(
        Math.abs(s[p - 1]!),
        Math.abs(s[p - 2]!),
        Math.abs(e[p - 2]!),
        Math.abs(s[k]!),
        Math.abs(e[k]!),
      );
      const sp = s[p - 1]! / scale;
      const spm1 = s[p - 2]! / scale;
      const epm1 = e[p - 2]! / scale;
      const sk = s[k]! / scale;
      const ek = e[k]! / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = Math.hypot(f, g);
        let cs = f / t;
        let sn = g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j]! + sn * e[j]!;
        e[j] = cs * e[j]! - sn * s[j]!;
        g = sn * s[j + 1]!;
        s[j + 1] = cs * s[j + 1]!;
        if (wantV) rot(v, n, j, j + 1, cs, sn);
        t = Math.hypot(f, g);
        cs = f / t;
        sn = g / t;
        s[j] = t;
        f = cs * e[j]! + sn * s[j + 1]!;
        s[j + 1] = -sn * e[j]! + cs * s[j + 1]!;
        g = sn * e[j + 1]!;
        e[j + 1] = cs * e[j + 1]!;
        if (wantU && j < m - 1) rot(u, m, j, j + 1, cs, sn);
      }
      e[p - 2] = f;
      iter++;
      if (iter > maxIter) fail('svd', `QR iteration did not converge after ${iter} steps`);
    } else {
      // Converged: make s[k] non-negative, then bubble it into descending order.
      if (s[k]! <= 0) {
        s[k] = s[k]! < 0 ? -s[k]! : 0;
        if (wantV) for (let i = 0; i < n; i++) v[k * n + i] = -v[k * n + i]!;
      }
      while (k < pp && s[k]! < s[k + 1]!) {
        const t = s[k]!;
        s[k] = s[k + 1]!;
        s[k + 1] = t;
        if (wantV) swapCols(v, n, k, k + 1);
        if (wantU && k < m - 1) swapCols(u, m, k, k + 1);
        k++;
      }
      iter = 0;
      p--;
    }
  }
  return { s, u, v };
}

function swapCols(w: Float64Array, len: number, j: number, k: number): void {
  const oj = j * len;
  const ok = k * len;
  for (let i = 0; i < len; i++) {
    const t = w[oj + i]!;
    w[oj + i] = w[ok + i]!;
    w[ok + i] = t;
  }
}

/** Index of the first entry of largest magnitude in w[off], w[off+stride], … (len entries). */
function argMaxAbs(w: Float64Array, off: number, len: number, stride: number): number {
  let best = 0;
  let bestAbs = -1;
  for (let i = 0; i < len; i++) {
    const a = Math.abs(w[off + i * stride]!);
    if (a > bestAbs) {
      bestAbs = a;
      best = i;
    }
  }
  return best;
}

/**
 * Sign convention: every left singular vector (column of U) has its largest-magnitude entry (the first
 * one on ties) positive, and the matching row of Vh is flipped with it — scikit-learn's `svd_flip`
 * with `u_based_decision=True`. Rows of a full Vh without a partner column in U follow the same rule
 * on their own entries.
 */
export function applySigns(
  U: Float64Array,
  m: number,
  uCols: number,
  Vh: Float64Array,
  vRows: number,
  n: number,
): void {
  for (let j = 0; j < uCols; j++) {
    const i = argMaxAbs(U, j, m, uCols);
    if (U[i * uCols + j]! >= 0) continue;
    for (let r = 0; r < m; r++) U[r * uCols + j] = -U[r * uCols + j]!;
    if (j < vRows) for (let c = 0; c < n; c++) Vh[j * n + c] = -Vh[j * n + c]!;
  }
  for (let j = uCols; j < vRows; j++) {
    const i = argMaxAbs(Vh, j * n, n, 1);
    if (Vh[j * n + i]! >= 0) continue;
    for (let c = 0; c < n; c++) Vh[j * n + c] = -Vh[j * n + c]!;
  }
}

/**
 * SVD of a row-major float64 matrix (not modified). `vectors: false` computes singular values only.
 * Internal entry point shared by svd, lstsq, norm, pca and truncatedSvd.
 */
export function svdData(a: Mat, full: boolean, vectors = true): SvdData {
  const { rows: m, cols: n } = a;
  const k = Math.min(m, n);
  if (k === 0) {
    // Empty matrix: no singular values; a full SVD still has identity U and Vh.
    const uCols = full ? m : 0;
    const vRows = full ? n : 0;
    return {
      m,
      n,
      S: new Float64Array(0),
      uCols,
      vRows,
      ...(vectors ? { U: identity(m, uCols), Vh: identity(vRows, n) } : {}),
    };
  }
  // gkr needs rows ≥ cols: factor Aᵀ = U' S V'ᵀ for wide A, so A = V' S U'ᵀ.
  const tall = m >= n;
  const M = tall ? m : n;
  const N = tall ? n : m;
  // Column-major M × N storage: for tall A that is Aᵀ row-major; for wide A it is A row-major itself.
  const w = tall ? transposeData(a.data, m, n) : Float64Array.from(a.data);
  const uc = full ? M : N;
  const { s, u, v } = gkr(w, M, N, uc, vectors, vectors);
  if (!vectors) return { m, n, S: s, uCols: 0, vRows: 0 };
  let U: Float64Array;
  let Vh: Float64Array;
  let uCols: number;
  let vRows: number;
  if (tall) {
    U = transposeData(u, uc, m); // column-major m × uc → row-major
    uCols = uc;
    Vh = v; // column-major V is row-major Vᵀ
    vRows = n;
  } else {
    // A = V' S U'ᵀ: U = V' (m × m, column-major → transpose), Vh = U'ᵀ (uc × n, column-major U' is row-major U'ᵀ).
    U = transposeData(v, m, m);
    uCols = m;
    Vh = u;
    vRows = uc;
  }
  applySigns(U, m, uCols, Vh, vRows, n);
  clearNegativeZeros(U);
  clearNegativeZeros(Vh);
  return { m, n, U, uCols, S: s, Vh, vRows };
}

/** −0 → +0, so exact results print and compare as plain zeros. */
export function clearNegativeZeros(w: Float64Array): void {
  for (let i = 0; i < w.length; i++) if (w[i] === 0) w[i] = 0;
}

function identity(rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = 1;
  return out;
}

/**
 * Singular value decomposition A = U · diag(S) · Vh of a 2-d tensor (any dtype; computed in float64).
 *
 * Algorithm: Golub–Kahan–Reinsch (Householder bidiagonalisation + implicit-shift QR), backward stable:
 * U·diag(S)·Vh reproduces A to about 1e-15·‖A‖. S is sorted descending.
 *
 * Signs are deterministic: each column of U has its largest-magnitude entry positive (first on ties),
 * with the matching row of Vh flipped alongside (scikit-learn's `svd_flip`). PyTorch makes no promise
 * about signs, so compare subspaces or reconstructions, not raw vectors, across libraries.
 * Singular vectors of repeated or zero singular values are an arbitrary orthonormal basis.
 */
export function svd(a: Tensor, opts: SvdOptions = {}): SvdResult {
  const A = toMat('svd', 'a', a);
  const d = svdData(A, opts.full ?? false);
  return {
    U: matTensor(d.U!, d.m, d.uCols),
    S: new Tensor(d.S, [d.S.length]),
    Vh: matTensor(d.Vh!, d.vRows, d.n),
  };
}
