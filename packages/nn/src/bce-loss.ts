import { add, clamp, type Input, log, mul, neg, sub, type Variable } from '@tsdl/autograd';
import type { Tensor } from '@tsdl/tensor';
import { Module } from './module.js';
import { checkReduction, checkSameShape, type Reduction, reduce, tensorOf } from './reduction.js';

/**
 * Binary cross-entropy on probabilities, like torch.nn.BCELoss: −w·(t·log p + (1−t)·log(1−p)),
 * each log clamped at −100 as PyTorch does so p = 0 or 1 gives a finite loss.
 */
export class BCELoss extends Module {
  readonly reduction: Reduction;
  readonly weight: Tensor | undefined;

  constructor(opts: { reduction?: Reduction; weight?: Tensor } = {}) {
    super();
    this.reduction = checkReduction('BCELoss', opts.reduction ?? 'mean');
    this.weight = opts.weight;
  }

  forward(input: Input, target: Input): Variable {
    checkSameShape('BCELoss', input, target);
    const p = tensorOf(input).toTypedArray();
    for (let i = 0; i < p.length; i++) {
      const v = p[i]!;
      if (!(v >= 0 && v <= 1)) {
        throw new Error(`BCELoss: input must hold probabilities in [0, 1], found ${v} at flat index ${i}`);
      }
    }
    const logP = clamp(log(input), -100);
    const log1mP = clamp(log(sub(1, input)), -100);
    let l = neg(add(mul(target, logP), mul(sub(1, target), log1mP)));
    if (this.weight) l = mul(l, this.weight);
    return reduce(l, this.reduction);
  }
}
