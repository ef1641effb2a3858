// STUB — to be implemented (owner: kernels helper).
import { fail } from './errors.js';
import type { Tensor } from './tensor.js';
export type Pair = number | readonly [number, number];
export interface Conv2dOptions { stride?: Pair; padding?: Pair; dilation?: Pair; groups?: number }
/** NCHW convolution (cross-correlation, like PyTorch). x [N,C,H,W], w [O,C/groups,kh,kw], b [O] or null. */
export function conv2d(x: Tensor, w: Tensor, b: Tensor | null = null, opts: Conv2dOptions = {}): Tensor { return fail('conv2d', `not implemented ${x}${w}${b}${opts}`); }
/** Gradient of conv2d w.r.t. its input, given dy [N,O,OH,OW]. */
export function conv2dGradInput(dy: Tensor, w: Tensor, inputShape: readonly number[], opts: Conv2dOptions = {}): Tensor { return fail('conv2dGradInput', `not implemented ${dy}${w}${inputShape}${opts}`); }
/** Gradient of conv2d w.r.t. its weight. */
export function conv2dGradWeight(x: Tensor, dy: Tensor, weightShape: readonly number[], opts: Conv2dOptions = {}): Tensor { return fail('conv2dGradWeight', `not implemented ${x}${dy}${weightShape}${opts}`); }
