import { fail } from './errors.js';
import { normAxis } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * Elements start..end (exclusive) with `step` along `axis`, with Python slice semantics:
 * negative indices count from the end and out-of-range bounds are clamped. A view (shares storage).
 */
export function slice(x: Tensor, axis: number, start: number, end?: number, step = 1): Tensor {
  if (!(x instanceof Tensor)) fail('slice', `x must be a Tensor, received ${x === null ? 'null' : typeof x}`);
  if (x.ndim === 0) fail('slice', 'cannot slice a 0-d tensor');
  const a = normAxis('slice', axis, x.ndim);
  if (!Number.isInteger(start)) fail('slice', `start must be an integer, received ${start}`);
  if (end !== undefined && !Number.isInteger(end))
    fail('slice', `end must be an integer or undefined, received ${end}`);
  if (!Number.isInteger(step) || step <= 0)
    fail('slice', `step must be a positive integer, received ${step}`);
  const n = x.shape[a]!;
  const clampIdx = (i: number): number => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
  const s = clampIdx(start);
  const e = end === undefined ? n : clampIdx(end);
  const len = Math.max(0, Math.ceil((e - s) / step));
  const shape = [...x.shape];
  const strides = [...x.strides];
  shape[a] = len;
  strides[a] = x.strides[a]! * step;
  return new Tensor(x.data, shape, strides, len === 0 ? x.offset : x.offset + s * x.strides[a]!);
}
