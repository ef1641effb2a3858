import { crossEntropy, type Input, type Variable } from '@tsdl/autograd';
import type { Tensor } from '@tsdl/tensor';
import { Module } from './module.js';
import { checkReduction, type Reduction } from './reduction.js';

export interface CrossEntropyLossOptions {
  /** Per-class weight, shape [C]. */
  weight?: Tensor;
  /** Mixes the one-hot target with the uniform distribution (PyTorch's label_smoothing), in [0, 1]. */
  labelSmoothing?: number;
  reduction?: Reduction;
  /** Target value whose samples add nothing to the loss or its mean (default -100, like PyTorch). */
  ignoreIndex?: number;
}

/** logSoftmax + negative log-likelihood over class logits [N, C] and int32 targets [N] (torch.nn.CrossEntropyLoss). */
export class CrossEntropyLoss extends Module {
  readonly weight: Tensor | undefined;
  readonly labelSmoothing: number;
  readonly reduction: Reduction;
  readonly ignoreIndex: number;

  constructor(opts: CrossEntropyLossOptions = {}) {
    super();
    this.weight = opts.weight;
    this.labelSmoothing = opts.labelSmoothing ?? 0;
    if (!(this.labelSmoothing >= 0 && this.labelSmoothing <= 1)) {
      throw new Error(`CrossEntropyLoss: labelSmoothing must be in [0, 1], received ${this.labelSmoothing}`);
    }
    this.reduction = checkReduction('CrossEntropyLoss', opts.reduction ?? 'mean');
    this.ignoreIndex = opts.ignoreIndex ?? -100;
  }

  forward(input: Input, target: Input): Variable {
    return crossEntropy(input, target, {
      weight: this.weight,
      labelSmoothing: this.labelSmoothing,
      reduction: this.reduction,
      ignoreIndex: this.ignoreIndex,
    });
  }
}
