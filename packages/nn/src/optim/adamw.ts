import type { Variable } from '@tsdl/autograd';
import type { Tensor } from '@tsdl/tensor';
import { type AdamOptions, adamUpdate, validateAdam } from './adam.js';
import {
  Optimizer,
  type ParamGroup,
  type ParamGroupInput,
  type ParamState,
  type Round,
} from './optimizer.js';

export type AdamWOptions = AdamOptions;

/** Adam with decoupled weight decay (torch.optim.AdamW): p *= 1 − lr·wd first, then Adam's step; wd defaults to 0.01. */
export class AdamW extends Optimizer<AdamWOptions> {
  constructor(
    params: Iterable<Variable> | ParamGroupInput<AdamWOptions>[],
    opts: Partial<AdamWOptions> = {},
  ) {
    super('AdamW', params, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 1e-2,
      amsgrad: false,
      ...opts,
    });
  }

  protected override validate(o: AdamWOptions): void {
    validateAdam(this.name, o);
  }

  protected update(
    p: Variable,
    grad: Tensor,
    group: ParamGroup<AdamWOptions>,
    state: ParamState,
    f: Round,
  ): void {
    const w = p.data.data;
    const decay = f(1 - group.lr * group.weightDecay);
    for (let i = 0; i < w.length; i++) w[i] = f(w[i]! * decay);
    adamUpdate(p, grad.data, group, state, f, () => this.zerosFor(p));
  }
}
