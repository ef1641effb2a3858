import { abs, clamp, type Input, mul, sub, type Variable } from '@tsdl/autograd';
import { Module } from './module.js';
import { checkReduction, checkSameShape, type Reduction, reduce } from './reduction.js';

/** ½d² where |d| < delta, else delta·(|d| − ½delta), like torch.nn.HuberLoss (delta = 1). */
export class HuberLoss extends Module {
  readonly reduction: Reduction;
  readonly delta: number;

  constructor(opts: { reduction?: Reduction; delta?: number } = {}) {
    super();
    this.reduction = checkReduction('HuberLoss', opts.reduction ?? 'mean');
    this.delta = opts.delta ?? 1;
    if (!(this.delta > 0)) throw new Error(`HuberLoss: delta must be positive, received ${this.delta}`);
  }

  forward(input: Input, target: Input): Variable {
    checkSameShape('HuberLoss', input, target);
    const a = abs(sub(input, target));
    // With c = min(|d|, delta), c·(|d| − c/2) is both branches at once, and its gradient is
    // d inside and delta·sign(d) outside, as PyTorch's.
    const c = clamp(a, null, this.delta);
    return reduce(mul(c, sub(a, mul(c, 0.5))), this.reduction);
  }
}
