import { add, exp, type Input, log, mul, neg, relu, sub, type Variable } from '@tsdl/autograd';
import type { Tensor } from '@tsdl/tensor';
import { Module } from './module.js';
import { checkReduction, checkSameShape, type Reduction, reduce } from './reduction.js';

export interface BCEWithLogitsLossOptions {
  reduction?: Reduction;
  /** Per-element rescaling weight, broadcast against the input. */
  weight?: Tensor;
  /** Weight of positive examples per class (broadcast over the last dim), like PyTorch's pos_weight. */
  posWeight?: Tensor;
}

/**
 * Sigmoid + binary cross-entropy in one numerically stable expression (torch.nn.BCEWithLogitsLoss):
 * (1−t)·x + (1 + (pw−1)·t)·softplus(−x), with softplus(−x) = log(e^{−m} + e^{−x−m}) + m, m = max(−x, 0).
 */
export class BCEWithLogitsLoss extends Module {
  readonly reduction: Reduction;
  readonly weight: Tensor | undefined;
  readonly posWeight: Tensor | undefined;

  constructor(opts: BCEWithLogitsLossOptions = {}) {
    super();
    this.reduction = checkReduction('BCEWithLogitsLoss', opts.reduction ?? 'mean');
    this.weight = opts.weight;
    this.posWeight = opts.posWeight;
  }

  forward(input: Input, target: Input): Variable {
    checkSameShape('BCEWithLogitsLoss', input, target);
    const m = relu(neg(input));
    const softplusNegX = add(log(add(exp(neg(m)), exp(sub(neg(input), m)))), m);
    const logWeight = this.posWeight ? add(mul(sub(this.posWeight, 1), target), 1) : undefined;
    let l = add(mul(sub(1, target), input), logWeight ? mul(logWeight, softplusNegX) : softplusNegX);
    if (this.weight) l = mul(l, this.weight);
    return reduce(l, this.reduction);
  }
}
