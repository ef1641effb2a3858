/** Error thrown for bad input to a data helper or reader; the message names the op first. */
export class DataError extends Error {
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = 'DataError';
  }
}

export function fail(op: string, message: string): never {
  throw new DataError(op, message);
}

/** Shape as error messages print it: [2,3]. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
