import { allocArray } from './dtype.js';
import { fail } from './errors.js';
import { type FloatArray, kernels } from './kernels.js';
import { normAxis } from './shape.js';
import { Tensor } from './tensor.js';

function run(op: string, x: Tensor, axis: number, log: boolean): Tensor {
  if (!(x instanceof Tensor)) fail(op, `x must be a Tensor, received ${typeof x}`);
  // A 0-d tensor is treated as one element along axis 0/-1 (PyTorch allows that).
  const ax = normAxis(op, axis, Math.max(x.ndim, 1));
  const n = x.ndim === 0 ? 1 : x.shape[ax]!;
  let outer = 1;
  for (let i = 0; i < ax; i++) outer *= x.shape[i]!;
  const inner = n === 0 ? 0 : x.size / (outer * n);
  // int32 input gives float32 (softmax is a float op).
  const dtype = x.dtype === 'int32' ? 'float32' : x.dtype;
  const src = (x.dtype === dtype ? x.contiguous().data : x.to(dtype).data) as FloatArray;
  const dst = allocArray(dtype, x.size) as FloatArray;
  if (x.size > 0) kernels.softmax(src, dst, outer, n, inner, log);
  return new Tensor(dst, x.shape);
}

/** exp(x) / Σ exp(x) along `axis`, computed stably (the max is subtracted first). */
export function softmax(x: Tensor, axis = -1): Tensor {
  return run('softmax', x, axis, false);
}

/** x - max - log Σ exp(x - max) along `axis`: never overflows, and exact where softmax underflows. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return run('logSoftmax', x, axis, true);
}
