// STUB — to be implemented (owner: tensor-ops helper). Signatures are the contract.
import { fail } from './errors.js';
import type { Tensor } from './tensor.js';
export type Axis = number | readonly number[];
export function sum(x: Tensor, axis?: Axis, keepdims = false): Tensor { return fail('sum', `not implemented ${x}${axis}${keepdims}`); }
export function mean(x: Tensor, axis?: Axis, keepdims = false): Tensor { return fail('mean', `not implemented ${x}${axis}${keepdims}`); }
export function max(x: Tensor, axis?: Axis, keepdims = false): Tensor { return fail('max', `not implemented ${x}${axis}${keepdims}`); }
export function min(x: Tensor, axis?: Axis, keepdims = false): Tensor { return fail('min', `not implemented ${x}${axis}${keepdims}`); }
export function argmax(x: Tensor, axis?: number, keepdims = false): Tensor { return fail('argmax', `not implemented ${x}${axis}${keepdims}`); }
export function argmin(x: Tensor, axis?: number, keepdims = false): Tensor { return fail('argmin', `not implemented ${x}${axis}${keepdims}`); }
/** Variance with Bessel's correction by default (correction=1, like PyTorch). Exported as `var`. */
export function var_(x: Tensor, axis?: Axis, keepdims = false, correction = 1): Tensor { return fail('var', `not implemented ${x}${axis}${keepdims}${correction}`); }
export function std(x: Tensor, axis?: Axis, keepdims = false, correction = 1): Tensor { return fail('std', `not implemented ${x}${axis}${keepdims}${correction}`); }
