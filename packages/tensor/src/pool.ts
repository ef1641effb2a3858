// STUB — to be implemented (owner: kernels helper).
import type { Pair } from './conv2d.js';
import { fail } from './errors.js';
import type { Tensor } from './tensor.js';
/** stride defaults to kernelSize (PyTorch). */
export interface MaxPool2dOptions { kernelSize: Pair; stride?: Pair; padding?: Pair; dilation?: Pair; ceilMode?: boolean }
export interface AvgPool2dOptions { kernelSize: Pair; stride?: Pair; padding?: Pair; ceilMode?: boolean; countIncludePad?: boolean }
export function maxPool2d(x: Tensor, opts: MaxPool2dOptions): Tensor { return fail('maxPool2d', `not implemented ${x}${opts}`); }
export function avgPool2d(x: Tensor, opts: AvgPool2dOptions): Tensor { return fail('avgPool2d', `not implemented ${x}${opts}`); }
/** Gradient of maxPool2d w.r.t. x (routes dy to the max positions; ties go to the first, like PyTorch). */
export function maxPool2dGrad(dy: Tensor, x: Tensor, opts: MaxPool2dOptions): Tensor { return fail('maxPool2dGrad', `not implemented ${dy}${x}${opts}`); }
export function avgPool2dGrad(dy: Tensor, inputShape: readonly number[], opts: AvgPool2dOptions): Tensor { return fail('avgPool2dGrad', `not implemented ${dy}${inputShape}${opts}`); }
