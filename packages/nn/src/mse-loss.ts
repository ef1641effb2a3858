import { type Input, mul, sub, type Variable } from '@tsdl/autograd';
import { Module } from './module.js';
import { checkReduction, checkSameShape, type Reduction, reduce } from './reduction.js';

/** Mean squared error (input - target)², like torch.nn.MSELoss. */
export class MSELoss extends Module {
  readonly reduction: Reduction;

  constructor(opts: { reduction?: Reduction } = {}) {
    super();
    this.reduction = checkReduction('MSELoss', opts.reduction ?? 'mean');
  }

  forward(input: Input, target: Input): Variable {
    checkSameShape('MSELoss', input, target);
    const d = sub(input, target);
    return reduce(mul(d, d), this.reduction);
  }
}
