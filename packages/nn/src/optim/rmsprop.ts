import type { Variable } from '@tsdl/autograd';
import type { Tensor } from '@tsdl/tensor';
import {
  Optimizer,
  type OptimizerOptions,
  type ParamGroup,
  type ParamGroupInput,
  type ParamState,
  type Round,
} from './optimizer.js';

export interface RMSpropOptions extends OptimizerOptions {
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
}

/**
 * RMSprop as torch.optim.RMSprop: v = α·v + (1−α)·g²; avg = √(v − ḡ²) if centered else √v; avg += eps;
 * with momentum buf = μ·buf + g/avg, p −= lr·buf; else p −= lr·g/avg. Defaults lr 0.01, α 0.99, eps 1e-8.
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(
    params: Iterable<Variable> | ParamGroupInput<RMSpropOptions>[],
    opts: Partial<RMSpropOptions> = {},
  ) {
    super('RMSprop', params, {
      lr: 1e-2,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
      ...opts,
    });
  }

  protected override validate(o: RMSpropOptions): void {
    super.validate(o);
    if (!(o.alpha >= 0)) throw new Error(`RMSprop: alpha must be >= 0, received ${o.alpha}`);
    if (!(o.eps >= 0)) throw new Error(`RMSprop: eps must be >= 0, received ${o.eps}`);
    if (!(o.momentum >= 0)) throw new Error(`RMSprop: momentum must be >= 0, received ${o.momentum}`);
    if (!(o.weightDecay >= 0))
      throw new Error(`RMSprop: weightDecay must be >= 0, received ${o.weightDecay}`);
  }

  protected update(
    p: Variable,
    grad: Tensor,
    group: ParamGroup<RMSpropOptions>,
    state: ParamState,
    f: Round,
  ): void {
    state.step = ((state.step as number | undefined) ?? 0) + 1;
    state.square_avg ??= this.zerosFor(p);
    if (group.momentum > 0) state.momentum_buffer ??= this.zerosFor(p);
    if (group.centered) state.grad_avg ??= this.zerosFor(p);
    const w = p.data.data;
    const g = grad.data;
    const sq = (state.square_avg as Tensor).data;
    const buf = group.momentum > 0 ? (state.momentum_buffer as Tensor).data : undefined;
    const ga = group.centered ? (state.grad_avg as Tensor).data : undefined;
    const wd = f(group.weightDecay);
    const alpha = f(group.alpha);
    const oneMinusAlpha = f(1 - group.alpha);
    const eps = f(group.eps);
    const mom = f(group.momentum);
    const negLr = f(-group.lr);
    for (let i = 0; i < w.length; i++) {
      let d = g[i]!;
      if (wd !== 0) d = f(d + wd * w[i]!);
      sq[i] = f(f(sq[i]! * alpha) + f(f(oneMinusAlpha * d) * d));
      let avg: number;
      if (ga) {
        ga[i] = f(f(ga[i]! * alpha) + oneMinusAlpha * d);
        avg = f(Math.sqrt(f(sq[i]! - f(ga[i]! * ga[i]!))));
      } else {
        avg = f(Math.sqrt(sq[i]!));
      }
      avg = f(avg + eps);
      if (buf) {
        buf[i] = f(f(buf[i]! * mom) + f(d / avg));
        w[i] = f(w[i]! + negLr * buf[i]!);
      } else {
        w[i] = f(w[i]! + f(f(negLr * d) / avg));
      }
    }
  }
}
