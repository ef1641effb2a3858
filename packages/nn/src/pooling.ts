// MaxPool2d and AvgPool2d: parameter-free wrappers over the pooling ops (NCHW, PyTorch semantics).
import { avgPool2d, type Input, maxPool2d, type Variable } from '@tsdl/autograd';
import type { Pair } from '@tsdl/tensor';
import { Module } from './module.js';

export interface MaxPool2dOptions {
  /** Default: kernelSize, like PyTorch. */
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
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

/** Max over each window, like torch.nn.MaxPool2d (no return_indices). */
export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly ceilMode: boolean;

  constructor(kernelSize: Pair, opts: MaxPool2dOptions = {}) {
    super();
    this.kernelSize = pair(kernelSize);
    this.stride = pair(opts.stride ?? kernelSize);
    this.padding = pair(opts.padding ?? 0);
    this.dilation = pair(opts.dilation ?? 1);
    this.ceilMode = opts.ceilMode ?? false;
    checkWindow('MaxPool2d', this.kernelSize, this.stride, this.padding);
  }

  forward(x: Input): Variable {
    return maxPool2d(x, {
      kernelSize: this.kernelSize,
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
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
