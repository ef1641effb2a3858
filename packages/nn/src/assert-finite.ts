import { Variable } from '@tsdl/autograd';
import type { Tensor } from '@tsdl/tensor';

/** Training hit a NaN or ±Infinity; names the step and the last good checkpoint to resume from. */
export class NonFiniteError extends Error {
  constructor(
    readonly step: number,
    readonly what: string,
    readonly value: number,
    readonly lastCheckpoint?: string,
  ) {
    super(
      `${what} is ${value} at step ${step}` +
        (lastCheckpoint
          ? `; the last good checkpoint is ${lastCheckpoint}`
          : '; no checkpoint was saved before it'),
    );
    this.name = 'NonFiniteError';
  }
}

export interface FiniteCheckOptions {
  /** Path of the last checkpoint saved before this step, quoted in the error. */
  lastCheckpoint?: string;
}

function firstNonFinite(t: Tensor): number | undefined {
  const a = t.toTypedArray();
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return a[i]!;
  return undefined;
}

/** Throws NonFiniteError when `loss` holds a NaN or ±Infinity (opt-in check inside a training loop). */
export function assertFinite(
  loss: number | Tensor | Variable,
  step: number,
  opts: FiniteCheckOptions = {},
): void {
  const t = loss instanceof Variable ? loss.data : loss;
  const bad = typeof t === 'number' ? (Number.isFinite(t) ? undefined : t) : firstNonFinite(t);
  if (bad !== undefined) throw new NonFiniteError(step, 'loss', bad, opts.lastCheckpoint);
}

/** Throws NonFiniteError naming the first parameter whose gradient holds a NaN or ±Infinity. */
export function assertFiniteGrads(
  params: Iterable<[string, Variable]> | Iterable<Variable>,
  step: number,
  opts: FiniteCheckOptions = {},
): void {
  let i = 0;
  for (const item of params) {
    const [name, p] = Array.isArray(item) ? item : [`parameter ${i}`, item];
    i++;
    if (p.grad === null) continue;
    const bad = firstNonFinite(p.grad);
    if (bad !== undefined)
      throw new NonFiniteError(step, `the gradient of ${name}`, bad, opts.lastCheckpoint);
  }
}
