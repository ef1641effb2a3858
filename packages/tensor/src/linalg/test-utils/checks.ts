// Test-only helpers for the linalg tests (excluded from the build): plain loops, no library code.
import { Generator } from '../../random.js';
import { Tensor } from '../../tensor.js';

/** A float64 [rows, cols] tensor of standard normals from a seeded generator. */
export function randomMatrix(rows: number, cols: number, seed: number): Tensor {
  const g = new Generator(seed);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = g.normal();
  return new Tensor(out, [rows, cols]);
}

/** A float64 tensor from nested arrays. */
export function f64(rows: number[][]): Tensor {
  return new Tensor(Float64Array.from(rows.flat()), [rows.length, rows[0]?.length ?? 0]);
}

/** Plain triple-loop product of two 2-d tensors, as a row-major array. */
export function mm(a: Tensor, b: Tensor): Float64Array {
  const [m, k] = a.shape as [number, number];
  const n = b.shape[1]!;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a.get(i, p) * b.get(p, j);
      out[i * n + j] = s;
    }
  return out;
}

/** U · diag(S) · Vh with U [m, k], S [k], Vh [k, n] (only the first k = len(S) columns/rows are used). */
export function reconstruct(U: Tensor, S: Tensor, Vh: Tensor): Float64Array {
  const m = U.shape[0]!;
  const n = Vh.shape[1]!;
  const k = S.shape[0]!;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += U.get(i, p) * S.get(p) * Vh.get(p, j);
      out[i * n + j] = s;
    }
  return out;
}

/** max |a − b| over two equally long arrays (or a tensor's elements). */
export function maxDiff(a: ArrayLike<number> | Tensor, b: ArrayLike<number> | Tensor): number {
  const x = a instanceof Tensor ? a.toTypedArray() : a;
  const y = b instanceof Tensor ? b.toTypedArray() : b;
  if (x.length !== y.length) throw new Error(`length mismatch ${x.length} vs ${y.length}`);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

/** max |QᵀQ − I| over the columns of Q (pass `rows: true` to test the rows instead). */
export function orthoError(q: Tensor, rows = false): number {
  const [r, c] = q.shape as [number, number];
  const k = rows ? r : c;
  const len = rows ? c : r;
  const at = (vec: number, i: number): number => (rows ? q.get(vec, i) : q.get(i, vec));
  let err = 0;
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) {
      let s = 0;
      for (let i = 0; i < len; i++) s += at(a, i) * at(b, i);
      err = Math.max(err, Math.abs(s - (a === b ? 1 : 0)));
    }
  return err;
}

/** The leading k entries of a vector, the first k columns or the first k rows of a matrix, row-major. */
export function leading(t: Tensor, k: number, what: 'values' | 'cols' | 'rows'): Float64Array {
  if (what === 'values') return Float64Array.from({ length: k }, (_, i) => t.get(i));
  const [r, c] = t.shape as [number, number];
  if (what === 'rows') return Float64Array.from({ length: k * c }, (_, i) => t.get(Math.floor(i / c), i % c));
  return Float64Array.from({ length: r * k }, (_, i) => t.get(Math.floor(i / k), i % k));
}
