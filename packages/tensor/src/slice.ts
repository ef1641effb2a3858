import { fail } from './errors.js';
import { normAxis } from './shape.js';
import { Tensor } from './tensor.js';

/** Elements start..end (exclusive) with `step` along `axis`; negative indices count from the end; a view. */
export function slice(x: Tensor, axis: number, start: number, end?: number, step = 1): Tensor {
  const a = normAxis('slice', axis, x.ndim);
  if (!Number.isInteger(step) || step <= 0) fail('slice', `step must be a positive integer, received ${step}`);
  if (!Number.isInteger(start) || (end !== undefined && !Number.isInteger(end))) {
    fail('slice', `start and end must be integers, received ${start} and ${end}`);
  }
  const n = x.shape[a]!;
  const clampIdx = (i: number) => Math.min(n, Math.max(0, i < 0 ? i + n : i));
  const s = clampIdx(start);
  const e = end === undefined ? n : clampIdx(end);
  const len = e > s ? Math.ceil((e - s) / step) : 0;
  const shape = [...x.shape];
  shape[a] = len;
  const strides = [...x.strides];
  strides[a] = x.strides[a]! * step;
  return new Tensor(x.data, shape, strides, x.offset + (len > 0 ? s * x.strides[a]! : 0));
}
