import { allocArray, type DType, dtypeOfArray, isDType, type TypedArray } from './dtype.js';
import { fail, fmtShape } from './errors.js';
import { checkShape, shapeSize } from './shape.js';
import { type NestedArray, Tensor } from './tensor.js';

export interface TensorOptions {
  dtype?: DType;
  shape?: readonly number[];
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0]!;
  }
  return shape;
}

function flattenInto(
  data: NestedArray,
  shape: number[],
  d: number,
  out: TypedArray,
  pos: { i: number },
): void {
  if (d === shape.length) {
    if (typeof data !== 'number')
      fail('tensor', `data is ragged or non-numeric at depth ${d} (expected a number)`);
    out[pos.i++] = data;
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[d]) {
    fail(
      'tensor',
      `data is ragged: expected ${shape[d]} elements at depth ${d} for shape ${fmtShape(shape)}`,
    );
  }
  for (const v of data) flattenInto(v, shape, d + 1, out, pos);
}

/**
 * Builds a tensor from a number, nested arrays or a typed array (copied).
 * Nested numbers default to float32; a typed array keeps its dtype unless `dtype` is given.
 */
export function tensor(data: NestedArray | TypedArray | readonly number[], opts: TensorOptions = {}): Tensor {
  if (opts.dtype !== undefined && !isDType(opts.dtype)) {
    fail('tensor', `dtype must be 'float32', 'float64' or 'int32', received ${String(opts.dtype)}`);
  }
  if (ArrayBuffer.isView(data)) {
    if (!(data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array)) {
      fail(
        'tensor',
        `typed array must be Float32Array, Float64Array or Int32Array, received ${(data as ArrayBufferView).constructor.name}`,
      );
    }
    const dtype = opts.dtype ?? dtypeOfArray(data);
    const shape = opts.shape ?? [data.length];
    checkShape('tensor', shape);
    if (shapeSize(shape) !== data.length) {
      fail('tensor', `shape ${fmtShape(shape)} needs ${shapeSize(shape)} elements, data has ${data.length}`);
    }
    const out = allocArray(dtype, data.length);
    out.set(data as never);
    return new Tensor(out, shape);
  }
  const shape = inferShape(data as NestedArray);
  const out = allocArray(opts.dtype ?? 'float32', shapeSize(shape));
  flattenInto(data as NestedArray, shape, 0, out, { i: 0 });
  if (opts.shape) {
    if (shapeSize(opts.shape) !== out.length) {
      fail(
        'tensor',
        `shape ${fmtShape(opts.shape)} needs ${shapeSize(opts.shape)} elements, data has ${out.length}`,
      );
    }
    return new Tensor(out, opts.shape);
  }
  return new Tensor(out, shape);
}

export function full(shape: readonly number[], value: number, opts: { dtype?: DType } = {}): Tensor {
  checkShape('full', shape);
  const out = allocArray(opts.dtype ?? 'float32', shapeSize(shape));
  if (value !== 0) out.fill(value);
  return new Tensor(out, shape);
}

export const zeros = (shape: readonly number[], opts: { dtype?: DType } = {}): Tensor => full(shape, 0, opts);
export const ones = (shape: readonly number[], opts: { dtype?: DType } = {}): Tensor => full(shape, 1, opts);
export const zerosLike = (x: Tensor): Tensor => full(x.shape, 0, { dtype: x.dtype });
export const onesLike = (x: Tensor): Tensor => full(x.shape, 1, { dtype: x.dtype });

/** Values start, start+step, … < end. `arange(n)` is 0..n-1. int32 when all arguments are integers. */
export function arange(start: number, end?: number, step = 1, opts: { dtype?: DType } = {}): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step))
    fail('arange', `step must be a non-zero finite number, received ${step}`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dtype = opts.dtype ?? ([start, end, step].every(Number.isInteger) ? 'int32' : 'float32');
  const out = allocArray(dtype, n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return new Tensor(out, [n]);
}

/** `steps` evenly spaced values from start to end inclusive. */
export function linspace(start: number, end: number, steps: number, opts: { dtype?: DType } = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0)
    fail('linspace', `steps must be a non-negative integer, received ${steps}`);
  const out = allocArray(opts.dtype ?? 'float32', steps);
  for (let i = 0; i < steps; i++) out[i] = steps === 1 ? start : start + ((end - start) * i) / (steps - 1);
  return new Tensor(out, [steps]);
}

/** Identity matrix n×m (m defaults to n). */
export function eye(n: number, m = n, opts: { dtype?: DType } = {}): Tensor {
  checkShape('eye', [n, m]);
  const out = allocArray(opts.dtype ?? 'float32', n * m);
  for (let i = 0; i < Math.min(n, m); i++) out[i * m + i] = 1;
  return new Tensor(out, [n, m]);
}
