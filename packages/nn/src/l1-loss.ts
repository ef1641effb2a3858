import { abs, type Input, sub, type Variable } from '@tsdl/autograd';
import { Module } from './module.js';
import { checkReduction, checkSameShape, type Reduction, reduce } from './reduction.js';

/** Mean absolute error |input - target|, like torch.nn.L1Loss. */
export class L1Loss extends Module {
  readonly reduction: Reduction;

  constructor(opts: { reduction?: Reduction } = {}) {
    super();
    this.reduction = checkReduction('L1Loss', opts.reduction ?? 'mean');
  }

  forward(input: Input, target: Input): Variable {
    checkSameShape('L1Loss', input, target);
    return reduce(abs(sub(input, target)), this.reduction);
  }
}
