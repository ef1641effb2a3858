import { allocArray, type DType, promoteTypes } from './dtype.js';
import { fail, fmtShape } from './errors.js';
import { type FloatArray, kernels } from './kernels.js';
import { broadcastShapes, shapeSize } from './shape.js';
import { Tensor } from './tensor.js';

/** How one stored matrix is handed to sgemm without copying: data, offset, transposed?, leading dim. */
interface MatView {
  data: FloatArray;
  off: number;
  trans: boolean;
  ld: number;
  /** strides of the batch dims (0 where broadcast), aligned to the output's batch dims. */
  batchStrides: number[];
}

/**
 * Describes t's last two dims (rows × cols) for sgemm: row-major (unit column stride) or column-major
 * (a transposed view) pass through as is; anything else is copied to row-major first.
 */
function matView(
  t: Tensor,
  rows: number,
  cols: number,
  batchShape: readonly number[],
  dtype: DType,
): MatView {
  if (t.dtype !== dtype || t.dtype === 'int32') t = new Tensor(toFloat(t, dtype), t.shape);
  const nd = t.ndim;
  const sr = t.strides[nd - 2]!;
  const sc = t.strides[nd - 1]!;
  let trans: boolean | undefined;
  let ld = 0;
  if ((sc === 1 || cols === 1) && (rows === 1 || sr >= cols)) {
    trans = false;
    ld = rows === 1 ? Math.max(cols, 1) : sr;
  } else if ((sr === 1 || rows === 1) && (cols === 1 || sc >= rows)) {
    trans = true;
    ld = cols === 1 ? Math.max(rows, 1) : sc;
  }
  if (trans === undefined) {
    t = t.contiguous();
    trans = false;
    ld = Math.max(cols, 1);
  }
  const nb = batchShape.length;
  const batchStrides = new Array<number>(nb).fill(0);
  for (let i = 0; i < nd - 2; i++) {
    const o = nb - (nd - 2) + i;
    batchStrides[o] = t.shape[i] === 1 ? 0 : t.strides[i]!;
  }
  return { data: t.data as FloatArray, off: t.offset, trans, ld, batchStrides };
}

function toFloat(t: Tensor, dtype: DType): FloatArray {
  // int32 runs through the float64 kernel (exact for |values| < 2^53) and is cast back after.
  const out = allocArray(dtype === 'int32' ? 'float64' : dtype, t.size) as FloatArray;
  out.set(t.toTypedArray());
  return out;
}

/**
 * Matrix product with NumPy/PyTorch semantics: 1-d operands are promoted (a to [1,K], b to
 * [K,1]) and the added dim removed from the result; batch dims broadcast; dtypes promote.
 * `out` (torch's out=): a contiguous float tensor of the result's shape and dtype, sharing no storage
 * with a or b, that receives the product (its old contents are ignored) and is returned.
 */
export function matmul(a: Tensor, b: Tensor, opts: { out?: Tensor } = {}): Tensor {
  if (!(a instanceof Tensor)) fail('matmul', `a must be a Tensor, received ${typeof a}`);
  if (!(b instanceof Tensor)) fail('matmul', `b must be a Tensor, received ${typeof b}`);
  if (a.ndim === 0 || b.ndim === 0) {
    fail(
      'matmul',
      `both arguments must be at least 1-d, received a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)}`,
    );
  }
  const dtype = promoteTypes(a.dtype, b.dtype);
  const aShape = a.ndim === 1 ? [1, a.shape[0]!] : [...a.shape];
  const bShape = b.ndim === 1 ? [b.shape[0]!, 1] : [...b.shape];
  const M = aShape[aShape.length - 2]!;
  const K = aShape[aShape.length - 1]!;
  const K2 = bShape[bShape.length - 2]!;
  const N = bShape[bShape.length - 1]!;
  if (K !== K2)
    fail('matmul', `inner dimensions differ: a is ${fmtShape(a.shape)}, b is ${fmtShape(b.shape)}`);
  const a2 = a.ndim === 1 ? new Tensor(a.data, aShape, [0, a.strides[0]!], a.offset) : a;
  const b2 = b.ndim === 1 ? new Tensor(b.data, bShape, [b.strides[0]!, 0], b.offset) : b;
  const batch = broadcastShapes('matmul', aShape.slice(0, -2), bShape.slice(0, -2));

  // b without batch dims and a contiguous: fold a's batch into rows, one big gemm (Linear layers).
  const fold = b2.ndim === 2 && a2.ndim > 2 && a2.isContiguous();
  const rows = fold ? M * shapeSize(batch) : M;
  const nBatch = fold ? 1 : shapeSize(batch);
  const va = matView(
    fold ? new Tensor(a2.data, [rows, K], [K, 1], a2.offset) : a2,
    rows,
    K,
    fold ? [] : batch,
    dtype,
  );
  const vb = matView(b2, K, N, fold ? [] : batch, dtype);

  const outDtype = dtype;
  const workDtype = dtype === 'int32' ? 'float64' : dtype;
  const shape = [...batch];
  if (a.ndim > 1) shape.push(M);
  if (b.ndim > 1) shape.push(N);
  const given = opts.out;
  if (given !== undefined) checkOut(given, shape, dtype, a, b);
  const out = given
    ? (given.data.subarray(given.offset, given.offset + given.size) as FloatArray)
    : (allocArray(workDtype, shapeSize(batch) * M * N) as FloatArray);
  if (nBatch === 1) {
    kernels.sgemm(
      va.trans,
      vb.trans,
      rows,
      N,
      K,
      1,
      va.data,
      va.ld,
      vb.data,
      vb.ld,
      0,
      out,
      N,
      va.off,
      vb.off,
      0,
    );
  } else {
    const nb = batch.length;
    const idx = new Array<number>(nb).fill(0);
    let pa = va.off;
    let pb = vb.off;
    for (let i = 0; i < nBatch; i++) {
      kernels.sgemm(
        va.trans,
        vb.trans,
        M,
        N,
        K,
        1,
        va.data,
        va.ld,
        vb.data,
        vb.ld,
        0,
        out,
        N,
        pa,
        pb,
        i * M * N,
      );
      for (let d = nb - 1; d >= 0; d--) {
        idx[d]!++;
        pa += va.batchStrides[d]!;
        pb += vb.batchStrides[d]!;
        if (idx[d]! < batch[d]!) break;
        pa -= va.batchStrides[d]! * batch[d]!;
        pb -= vb.batchStrides[d]! * batch[d]!;
        idx[d] = 0;
      }
    }
  }
  if (given) return given;
  if (outDtype === 'int32') {
    const r = allocArray('int32', out.length);
    r.set(out);
    return new Tensor(r, shape);
  }
  return new Tensor(out, shape);
}

function checkOut(out: Tensor, shape: number[], dtype: DType, a: Tensor, b: Tensor): void {
  if (!(out instanceof Tensor)) fail('matmul', `out must be a Tensor, received ${typeof out}`);
  if (dtype === 'int32' || out.dtype !== dtype)
    fail('matmul', `out must be a float tensor of the result's dtype ${dtype}, received ${out.dtype}`);
  if (out.ndim !== shape.length || out.shape.some((d, i) => d !== shape[i]))
    fail('matmul', `out must have the result's shape ${fmtShape(shape)}, received ${fmtShape(out.shape)}`);
  if (!out.isContiguous()) fail('matmul', 'out must be contiguous, received a strided view');
  if (out.data === a.data || out.data === b.data) fail('matmul', 'out must not share storage with a or b');
}
