// MaxPool2d, MaxUnpool2d and AvgPool2d: parameter-free wrappers over the pooling ops (NCHW, PyTorch semantics).
import {
  avgPool2d,
  type Input,
  maxPool2d,
  maxPool2dWithIndices,
  maxUnpool2d,
  type Variable,
} from '@tsdl/autograd';
import type { Pair, Tensor } from '@tsdl/tensor';
import { Module } from './module.js';

export interface MaxPool2dOptions<R extends boolean = boolean> {
  /** Default: kernelSize, like PyTorch. */
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
  /** Also return where each max came from (torch's return_indices), for MaxUnpool2d. */
  returnIndices?: R;
}

/**
 * What MaxPool2d.forward returns: the pooled Variable, or with returnIndices `[values, indices]`,
 * indices an int32 Variable without gradient holding each max's flat h·W + w in its input plane
 * (PyTorch: an int64 tensor). A Variable rather than a bare Tensor so that an exported model
 * computes the indices from its input instead of freezing the traced ones.
 */
export type MaxPool2dOutput<R extends boolean> = R extends true
  ? [values: Variable, indices: Variable]
  : Variable;

export interface MaxUnpool2dOptions {
  /** Default: kernelSize, like PyTorch. */
  stride?: Pair;
  padding?: Pair;
}

export interface AvgPool2dOptions {
  /** Default: kernelSize, like PyTorch. */
  stride?: Pair;
  padding?: Pair;
  ceilMode?: boolean;
  /** Count the zero padding in the divisor (default true, like PyTorch). */
  countIncludePad?: boolean;
}

const pair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

function checkWindow(
  layer: string,
  kernel: [number, number],
  stride: [number, number],
  padding: [number, number],
): void {
  if (!kernel.every((k) => Number.isInteger(k) && k >= 1)) {
    throw new Error(`${layer}: kernelSize must be positive integers, received [${kernel.join(',')}]`);
  }
  if (!stride.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new Error(`${layer}: stride must be positive integers, received [${stride.join(',')}]`);
  }
  // PyTorch's rule: padding at most half the kernel, so every window sees a real element.
  if (!padding.every((p, i) => Number.isInteger(p) && p >= 0 && p <= kernel[i]! / 2)) {
    throw new Error(
      `${layer}: padding must be integers between 0 and half the kernel size [${kernel.join(',')}], received [${padding.join(',')}]`,
    );
  }
}

/**
 * Max over each window, like torch.nn.MaxPool2d. With `{returnIndices: true}` forward returns
 * `[values, indices]` (the type follows the option: `new MaxPool2d(2, {returnIndices: true})` is a
 * `MaxPool2d<true>`).
 */
export class MaxPool2d<R extends boolean = false> extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly ceilMode: boolean;
  readonly returnIndices: R;

  constructor(kernelSize: Pair, opts: MaxPool2dOptions<R> = {}) {
    super();
    this.kernelSize = pair(kernelSize);
    this.stride = pair(opts.stride ?? kernelSize);
    this.padding = pair(opts.padding ?? 0);
    this.dilation = pair(opts.dilation ?? 1);
    this.ceilMode = opts.ceilMode ?? false;
    this.returnIndices = (opts.returnIndices ?? false) as R;
    checkWindow('MaxPool2d', this.kernelSize, this.stride, this.padding);
  }

  forward(x: Input): MaxPool2dOutput<R> {
    const opts = {
      kernelSize: this.kernelSize,
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
    };
    if (!this.returnIndices) return maxPool2d(x, opts) as MaxPool2dOutput<R>;
    const { values, indices } = maxPool2dWithIndices(x, opts);
    return [values, indices] as MaxPool2dOutput<R>;
  }
}

/**
 * The partial inverse of MaxPool2d, like torch.nn.MaxUnpool2d: `forward(x, indices, outputSize?)`
 * puts each value of x at its index (from `MaxPool2d(k, {returnIndices: true})`) in zero planes.
 * The output is PyTorch's (in − 1)·stride − 2·padding + kernelSize per dim unless `outputSize`
 * ([H, W] or the whole shape; within one stride of that) says otherwise, e.g. the pooled input's
 * shape when the pooling dropped rows or columns.
 */
export class MaxUnpool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  constructor(kernelSize: Pair, opts: MaxUnpool2dOptions = {}) {
    super();
    this.kernelSize = pair(kernelSize);
    this.stride = pair(opts.stride ?? kernelSize);
    this.padding = pair(opts.padding ?? 0);
    checkWindow('MaxUnpool2d', this.kernelSize, this.stride, this.padding);
  }

  forward(x: Input, indices: Variable | Tensor, outputSize?: readonly number[]): Variable {
    return maxUnpool2d(x, indices, {
      kernelSize: this.kernelSize,
      stride: this.stride,
      padding: this.padding,
      ...(outputSize === undefined ? {} : { outputSize }),
    });
  }
}

/** Mean over each window, like torch.nn.AvgPool2d. */
export class AvgPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  constructor(kernelSize: Pair, opts: AvgPool2dOptions = {}) {
    super();
    this.kernelSize = pair(kernelSize);
    this.stride = pair(opts.stride ?? kernelSize);
    this.padding = pair(opts.padding ?? 0);
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    checkWindow('AvgPool2d', this.kernelSize, this.stride, this.padding);
  }

  forward(x: Input): Variable {
    return avgPool2d(x, {
      kernelSize: this.kernelSize,
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
    });
  }
}
