// STUB — to be implemented (owner: tensor-ops helper).
import { fail } from './errors.js';
import type { Tensor } from './tensor.js';
/** Elements start..end (exclusive) with `step` along `axis`; negative indices count from the end; a view. */
export function slice(x: Tensor, axis: number, start: number, end?: number, step = 1): Tensor { return fail('slice', `not implemented ${x}${axis}${start}${end}${step}`); }
