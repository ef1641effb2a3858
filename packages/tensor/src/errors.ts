/** Formats a shape the way error messages print it: [2,3]. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** Error thrown for invalid arguments; the message names the op and the argument. */
export class TensorError extends Error {
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = 'TensorError';
  }
}

export function fail(op: string, message: string): never {
  throw new TensorError(op, message);
}

/** What a wrong-typed argument was, for "received …" (never its contents: arrays can be megabytes). */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (ArrayBuffer.isView(v))
    return `${v.constructor.name}(${(v as unknown as { length?: number }).length ?? v.byteLength})`;
  if (Array.isArray(v)) return `an Array(${v.length})`;
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'Object'})`;
  return `${typeof v} ${String(v)}`;
}

/** The row count n (≥ 0) and hidden size h (≥ 1) of a recurrent cell's kernel-level function. */
export function checkCellDims(op: string, n: number, h: number): void {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(h) || h < 1)
    fail(op, `n and h must be integers (n ≥ 0, h ≥ 1), received n=${n}, h=${h}`);
}

/**
 * Checks the raw arrays of a kernel-level function: each [name, array, length] must be a Float32Array
 * holding at least `length` values.
 */
export function checkFloat32Arrays(op: string, arrays: [string, unknown, number][], dims: string): void {
  checkFloatArrays(op, arrays, dims, Float32Array);
}

/**
 * As checkFloat32Arrays, for arrays that must all be Float32Array or all Float64Array (the first
 * array's type, unless `type` is given).
 */
export function checkFloatArrays(
  op: string,
  arrays: [string, unknown, number][],
  dims: string,
  type?: typeof Float32Array | typeof Float64Array,
): void {
  const first = arrays[0]?.[1];
  const T = type ?? (first instanceof Float64Array ? Float64Array : Float32Array);
  for (const [name, a, len] of arrays) {
    if (!(a instanceof T))
      fail(
        op,
        `${name} must be a ${T.name}${type ? '' : ` like ${arrays[0]![0]}`}, received ${describeValue(a)}`,
      );
    if (a.length < len)
      fail(op, `${name} must hold at least ${len} values for ${dims}, received ${a.length}`);
  }
}
