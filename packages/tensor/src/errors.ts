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

/**
 * Checks the raw arrays of a kernel-level function: each [name, array, length] must be a Float32Array
 * holding at least `length` values.
 */
export function checkFloat32Arrays(op: string, arrays: [string, unknown, number][], dims: string): void {
  for (const [name, a, len] of arrays) {
    if (!(a instanceof Float32Array)) fail(op, `${name} must be a Float32Array, received ${a}`);
    if (a.length < len)
      fail(op, `${name} must hold at least ${len} values for ${dims}, received ${a.length}`);
  }
}
