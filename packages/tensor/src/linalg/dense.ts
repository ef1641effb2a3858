// Internal float64 helpers shared by the linalg files (not exported from the package).
import { fail, fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';

/** A dense float64 matrix, row-major unless a function says otherwise. */
export interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** A fresh row-major float64 copy of a 2-d tensor of any dtype (callers may overwrite it). */
export function toMat(op: string, name: string, x: Tensor): Mat {
  if (!(x instanceof Tensor)) fail(op, `${name} must be a Tensor, received ${typeof x}`);
  if (x.ndim !== 2) fail(op, `${name} must be a 2-d matrix, received shape ${fmtShape(x.shape)}`);
  const data = Float64Array.from(x.toTypedArray());
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!))
      fail(op, `${name} must hold finite values, found ${data[i]} at flat index ${i}`);
  }
  return { rows: x.shape[0]!, cols: x.shape[1]!, data };
}

/** Wraps a row-major float64 matrix as a Tensor. */
export function matTensor(data: Float64Array, rows: number, cols: number): Tensor {
  return new Tensor(data, [rows, cols]);
}

/** Transpose of a row-major rows × cols matrix (equivalently: row-major ↔ column-major). */
export function transposeData(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = a[r + j]!;
  }
  return out;
}

/** Row-major product (m × k) · (k × n); i-k-j order so the inner loop streams rows. */
export function matmulData(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const oi = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      if (aip === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) out[oi + j]! += aip * b[bp + j]!;
    }
  }
  return out;
}

/** Euclidean norm of a[off .. off+len) with scaling so huge or tiny values neither overflow nor underflow. */
export function norm2(a: Float64Array, off = 0, len = a.length - off, stride = 1): number {
  let scale = 0;
  for (let i = 0; i < len; i++) scale = Math.max(scale, Math.abs(a[off + i * stride]!));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < len; i++) {
    const v = a[off + i * stride]! / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}
