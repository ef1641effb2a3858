import { fail, fmtShape } from './errors.js';
import {
  broadcastShapes,
  checkShape,
  contiguousStrides,
  normAxes,
  normAxis,
  sameShape,
  shapeSize,
} from './shape.js';
import { Tensor } from './tensor.js';

/** Same elements, new shape (one -1 is inferred). A view when `x` is contiguous, else a copy. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const dims = [...shape];
  const infer = dims.indexOf(-1);
  if (dims.lastIndexOf(-1) !== infer)
    fail('reshape', `only one dimension may be -1, received ${fmtShape(shape)}`);
  if (infer >= 0) {
    const known = shapeSize(dims.filter((_, i) => i !== infer));
    if (known === 0 || x.size % known !== 0) {
      fail(
        'reshape',
        `cannot infer -1 in ${fmtShape(shape)} for a tensor of shape ${fmtShape(x.shape)} (${x.size} elements)`,
      );
    }
    dims[infer] = x.size / known;
  }
  checkShape('reshape', dims);
  if (shapeSize(dims) !== x.size) {
    fail(
      'reshape',
      `shape ${fmtShape(shape)} is invalid for a tensor of shape ${fmtShape(x.shape)} (${x.size} elements)`,
    );
  }
  if (sameShape(dims, x.shape)) return x;
  if (x.isContiguous()) return new Tensor(x.data, dims, contiguousStrides(dims), x.offset);
  return new Tensor(x.toTypedArray(), dims);
}

/** Reorders dims (a view; no copy). */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim)
    fail('permute', `dims ${fmtShape(dims)} must list all ${x.ndim} dims of shape ${fmtShape(x.shape)}`);
  const d = dims.map((a) => normAxis('permute', a, x.ndim, 'dims'));
  if (new Set(d).size !== d.length) fail('permute', `dims ${fmtShape(dims)} contains a repeated dim`);
  return new Tensor(
    x.data,
    d.map((i) => x.shape[i]!),
    d.map((i) => x.strides[i]!),
    x.offset,
  );
}

/** Swaps two dims (a view). */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const a = normAxis('transpose', dim0, x.ndim, 'dim0');
  const b = normAxis('transpose', dim1, x.ndim, 'dim1');
  const dims = [...x.shape.keys()];
  dims[a] = b;
  dims[b] = a;
  return permute(x, dims);
}

/** Merges dims startDim..endDim into one (PyTorch semantics). */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normAxis('flatten', startDim, x.ndim, 'startDim');
  const e = normAxis('flatten', endDim, x.ndim, 'endDim');
  if (s > e) fail('flatten', `startDim (${startDim}) must not come after endDim (${endDim})`);
  const shape = [...x.shape.slice(0, s), shapeSize(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

/** Removes size-1 dims (all of them, or those in `axis`; a listed dim that is not 1 is kept, like PyTorch). */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  const axes = axis === undefined ? undefined : new Set(normAxes('squeeze', axis, x.ndim));
  const keep: number[] = [];
  for (let i = 0; i < x.ndim; i++) if (x.shape[i] !== 1 || (axes && !axes.has(i))) keep.push(i);
  return new Tensor(
    x.data,
    keep.map((i) => x.shape[i]!),
    keep.map((i) => x.strides[i]!),
    x.offset,
  );
}

/** Inserts a size-1 dim at `axis` (in the result's numbering). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normAxis('unsqueeze', axis, x.ndim + 1);
  const shape = [...x.shape];
  const strides = [...x.strides];
  shape.splice(a, 0, 1);
  strides.splice(a, 0, a < x.ndim ? x.strides[a]! * x.shape[a]! : 1);
  return new Tensor(x.data, shape, strides, x.offset);
}

/** Broadcasts to `shape` without copying (stride 0 along expanded dims); -1 keeps a dim. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  if (shape.length < x.ndim)
    fail('expand', `target ${fmtShape(shape)} has fewer dims than ${fmtShape(x.shape)}`);
  const lead = shape.length - x.ndim;
  const target = shape.map((d, i) => (d === -1 && i >= lead ? x.shape[i - lead]! : d));
  // -1 is only meaningful for existing dims; anything left negative would become a bogus shape.
  checkShape('expand', target);
  const out = broadcastShapes('expand', x.shape, target);
  if (!sameShape(out, target)) fail('expand', `cannot expand ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  const strides = target.map((d, i) => (i < lead || x.shape[i - lead] !== d ? 0 : x.strides[i - lead]!));
  return new Tensor(x.data, target, strides, x.offset);
}
