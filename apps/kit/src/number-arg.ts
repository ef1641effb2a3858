import { InvalidArgumentError } from 'commander';

/**
 * A commander option parser for numbers: `--epochs <n>` with `numberArg('--epochs', { int: true, min: 1 })`.
 * Rejects empty, non-finite, fractional (with `int`) and too-small values, naming the option.
 */
export function numberArg(name: string, opts: { int?: boolean; min?: number } = {}): (v: string) => number {
  const { int = false, min } = opts;
  return (v: string): number => {
    const n = Number(v);
    if (
      v.trim() === '' ||
      !Number.isFinite(n) ||
      (int && !Number.isInteger(n)) ||
      (min !== undefined && n < min)
    ) {
      const bound = min !== undefined ? ` ≥ ${min}` : '';
      throw new InvalidArgumentError(
        `${name} must be a${int ? 'n integer' : ' number'}${bound}, received '${v}'`,
      );
    }
    return n;
  };
}
