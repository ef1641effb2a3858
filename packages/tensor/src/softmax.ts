// STUB — to be implemented (owner: kernels helper).
import { fail } from './errors.js';
import type { Tensor } from './tensor.js';
export function softmax(x: Tensor, axis = -1): Tensor { return fail('softmax', `not implemented ${x}${axis}`); }
export function logSoftmax(x: Tensor, axis = -1): Tensor { return fail('logSoftmax', `not implemented ${x}${axis}`); }
