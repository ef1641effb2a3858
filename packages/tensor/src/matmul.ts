// STUB — to be implemented (owner: kernels helper).
import { fail } from './errors.js';
import type { Tensor } from './tensor.js';
/** Matrix product with NumPy/PyTorch semantics: 1-d operands promoted, batch dims broadcast. */
export function matmul(a: Tensor, b: Tensor): Tensor { return fail('matmul', `not implemented ${a}${b}`); }
