import { allocArray } from './dtype.js';
import { fail, fmtShape } from './errors.js';
import { normAxis } from './shape.js';
import { Tensor } from './tensor.js';

function indexArray(op: string, indices: Tensor | readonly number[]): { idx: ArrayLike<number>; shape: readonly number[] } {
  if (indices instanceof Tensor) {
    if (indices.dtype !== 'int32') {
      const v = indices.toTypedArray();
      for (let i = 0; i < v.length; i++) {
        if (!Number.isInteger(v[i])) fail(op, `indices must be integers, received ${v[i]} at position ${i}`);
      }
      return { idx: v, shape: indices.shape };
    }
    return { idx: indices.toTypedArray(), shape: indices.shape };
  }
  if (!Array.isArray(indices)) fail(op, 'indices must be a Tensor or an array of integers');
  return { idx: indices, shape: [indices.length] };
}

function wrap(op: string, i: number, n: number, pos: number): number {
  const j = i < 0 ? i + n : i;
  if (!(j >= 0 && j < n)) fail(op, `index ${i} at position ${pos} is out of range for a dim of size ${n}`);
  return j;
}

/** Picks whole slices along `axis` (ONNX Gather, torch.index_select); negative indices count from the end. */
export function indexSelect(x: Tensor, axis: number, indices: Tensor | readonly number[]): Tensor {
  const a = normAxis('indexSelect', axis, x.ndim);
  const { idx, shape: ishape } = indexArray('indexSelect', indices);
  const n = x.shape[a]!;
  const outer = x.shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = x.shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const src = x.toTypedArray();
  const k = idx.length;
  const out = allocArray(x.dtype, outer * k * inner);
  for (let j = 0; j < k; j++) {
    const r = wrap('indexSelect', idx[j]!, n, j);
    for (let o = 0; o < outer; o++) {
      const s = (o * n + r) * inner;
      const d = (o * k + j) * inner;
      for (let i = 0; i < inner; i++) out[d + i] = src[s + i]!;
    }
  }
  return new Tensor(out, [...x.shape.slice(0, a), ...ishape, ...x.shape.slice(a + 1)]);
}

/** Returns a copy of x with `source` slices added at `indices` along axis (repeats accumulate). */
export function indexAdd(x: Tensor, axis: number, indices: Tensor | readonly number[], source: Tensor): Tensor {
  const a = normAxis('indexAdd', axis, x.ndim);
  const { idx } = indexArray('indexAdd', indices);
  const n = x.shape[a]!;
  const outer = x.shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = x.shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const k = idx.length;
  if (source.size !== outer * k * inner) {
    fail('indexAdd', `source has shape ${fmtShape(source.shape)}, expected ${outer * k * inner} elements for ${k} indices into ${fmtShape(x.shape)}`);
  }
  const out = x.toTypedArray();
  const src = source.toTypedArray();
  for (let j = 0; j < k; j++) {
    const r = wrap('indexAdd', idx[j]!, n, j);
    for (let o = 0; o < outer; o++) {
      const d = (o * n + r) * inner;
      const s = (o * k + j) * inner;
      for (let i = 0; i < inner; i++) out[d + i] = out[d + i]! + src[s + i]!;
    }
  }
  return new Tensor(out, x.shape);
}

function checkGatherShapes(op: string, x: Tensor, a: number, index: Tensor): void {
  if (index.ndim !== x.ndim) fail(op, `index must have the same rank as x: x is ${fmtShape(x.shape)}, index is ${fmtShape(index.shape)}`);
  for (let d = 0; d < x.ndim; d++) {
    if (d !== a && index.shape[d]! > x.shape[d]!) {
      fail(op, `index size ${index.shape[d]} exceeds x size ${x.shape[d]} in dim ${d} (x ${fmtShape(x.shape)}, index ${fmtShape(index.shape)})`);
    }
  }
}

/** Visits every element of `index` with its position in x's row-major storage (gather/scatter share it). */
function forEachGather(op: string, x: Tensor, a: number, index: Tensor, fn: (xPos: number, k: number) => void): void {
  const idx = index.toTypedArray();
  const xs: number[] = [];
  let acc = 1;
  for (let d = x.ndim - 1; d >= 0; d--) {
    xs[d] = acc;
    acc *= x.shape[d]!;
  }
  const coord = new Array<number>(index.ndim).fill(0);
  for (let k = 0; k < idx.length; k++) {
    let p = 0;
    for (let d = 0; d < x.ndim; d++) {
      p += (d === a ? wrap(op, idx[k]!, x.shape[a]!, k) : coord[d]!) * xs[d]!;
    }
    fn(p, k);
    for (let d = index.ndim - 1; d >= 0; d--) {
      if (++coord[d]! < index.shape[d]!) break;
      coord[d] = 0;
    }
  }
}

/** PyTorch gather: out[i][j] = x[index[i][j]][j] for axis 0, etc. */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  const a = normAxis('gather', axis, x.ndim);
  checkGatherShapes('gather', x, a, index);
  const src = x.toTypedArray();
  const out = allocArray(x.dtype, index.size);
  forEachGather('gather', x, a, index, (p, k) => {
    out[k] = src[p]!;
  });
  return new Tensor(out, index.shape);
}

/** Returns a copy of x with src scattered-added at index along axis (PyTorch scatter_add); backward of gather. */
export function scatterAdd(x: Tensor, axis: number, index: Tensor, src: Tensor): Tensor {
  const a = normAxis('scatterAdd', axis, x.ndim);
  checkGatherShapes('scatterAdd', x, a, index);
  if (src.ndim !== index.ndim || index.shape.some((d, i) => d > src.shape[i]!)) {
    fail('scatterAdd', `src ${fmtShape(src.shape)} must be at least as large as index ${fmtShape(index.shape)} in every dim`);
  }
  const out = x.toTypedArray();
  const s = src.contiguous();
  const sv = s.data;
  // src may be larger than index: read it at index's coordinates.
  const coord = new Array<number>(index.ndim).fill(0);
  forEachGather('scatterAdd', x, a, index, (p) => {
    let q = 0;
    for (let d = 0; d < index.ndim; d++) q += coord[d]! * s.strides[d]!;
    out[p] = out[p]! + sv[q]!;
    for (let d = index.ndim - 1; d >= 0; d--) {
      if (++coord[d]! < index.shape[d]!) break;
      coord[d] = 0;
    }
  });
  return new Tensor(out, x.shape);
}
