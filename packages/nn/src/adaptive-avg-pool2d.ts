import { adaptiveAvgPool2d, type Input, type Variable } from '@tsdl/autograd';
import type { AdaptiveOutputSize } from '@tsdl/tensor';
import { Module } from './module.js';

/**
 * Average pooling to a fixed output size whatever the input's, like torch.nn.AdaptiveAvgPool2d:
 * `outputSize` is one number for height and width or `[h, w]`, null keeping that input size. Input
 * [N, C, H, W] or [C, H, W]; output cell i averages input rows floor(i·H/h) to ceil((i+1)·H/h)
 * (likewise columns), so windows may differ in size and overlap. Exported to ONNX as GlobalAveragePool
 * (1×1) or AveragePool when the traced input size is a multiple of the output size; other sizes
 * have no ONNX form.
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: AdaptiveOutputSize;

  constructor(outputSize: AdaptiveOutputSize) {
    super();
    const ok = (v: unknown, nullable: boolean) =>
      (nullable && v === null) || (typeof v === 'number' && Number.isInteger(v) && v >= 1);
    const valid = Array.isArray(outputSize)
      ? outputSize.length === 2 && outputSize.every((v) => ok(v, true))
      : ok(outputSize, false);
    if (!valid) {
      throw new Error(
        `AdaptiveAvgPool2d: outputSize must be a positive integer or [h, w] of positive integers or null, received ${JSON.stringify(outputSize)}`,
      );
    }
    this.outputSize =
      typeof outputSize === 'number' ? outputSize : Object.freeze([outputSize[0], outputSize[1]] as const);
  }

  forward(x: Input): Variable {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
}
