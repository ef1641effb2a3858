/** Error thrown for bad input to a metric; the message names the function first. */
export class MetricsError extends Error {
  constructor(fn: string, message: string) {
    super(`${fn}: ${message}`);
    this.name = 'MetricsError';
  }
}

export function fail(fn: string, message: string): never {
  throw new MetricsError(fn, message);
}

/** Shape as error messages print it: [2,3]. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
