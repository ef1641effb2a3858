// STUB — to be implemented (owner: tensor-ops helper).
import { fail } from './errors.js';
import type { Tensor } from './tensor.js';
/** Constant padding, PyTorch F.pad order: [lastLeft, lastRight, prevLeft, prevRight, ...]. */
export function pad(x: Tensor, pads: readonly number[], value = 0): Tensor { return fail('pad', `not implemented ${x}${pads}${value}`); }
