// STUB — to be implemented (owner: tensor-ops helper).
import { fail } from './errors.js';
import type { Tensor } from './tensor.js';
export function concat(xs: readonly Tensor[], axis = 0): Tensor { return fail('concat', `not implemented ${xs}${axis}`); }
export function stack(xs: readonly Tensor[], axis = 0): Tensor { return fail('stack', `not implemented ${xs}${axis}`); }
/** Splits into chunks of `sizes` (a number = equal chunks of that size, last may be smaller) along axis. */
export function split(x: Tensor, sizes: number | readonly number[], axis = 0): Tensor[] { return fail('split', `not implemented ${x}${sizes}${axis}`); }
