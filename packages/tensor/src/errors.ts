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

/**
 * Checks the raw arrays of a kernel-level function: each [name, array, length] must be a Float32Array
 * holding at least `length` values.
 */
export function checkFloat32Arrays(op: string, arrays: [string, unknown, number][], dims: string): void {
  for (const [name, a, len] of arrays) {
    if (!(a instanceof Float32Array))
      fail(op, `${name} must be a Float32Array, received ${describeValue(a)}`);
    if (a.length < len)
      fail(op, `${name} must hold at least ${len} values for ${dims}, received ${a.length}`);
  }
}
