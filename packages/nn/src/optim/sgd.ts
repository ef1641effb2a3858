import type { Variable } from '@tsdl/autograd';
import { sgdStep, type Tensor } from '@tsdl/tensor';
import {
  Optimizer,
  type OptimizerOptions,
  type ParamGroup,
  type ParamGroupInput,
  type ParamState,
  type Round,
} from './optimizer.js';

export interface SGDOptions extends OptimizerOptions {
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
}

/**
 * Stochastic gradient descent with PyTorch's update order: g += wd·p; buf = g on the first step,
 * else buf = momentum·buf + (1−dampening)·g; g = nesterov ? g + momentum·buf : buf; p −= lr·g.
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(
    params: Iterable<Variable> | ParamGroupInput<SGDOptions>[],
    opts: Partial<SGDOptions> & { lr: number },
  ) {
    super('SGD', params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, ...opts });
  }

  protected override validate(o: SGDOptions): void {
    super.validate(o);
    if (!(o.momentum >= 0)) throw new Error(`SGD: momentum must be >= 0, received ${o.momentum}`);
    if (!(o.weightDecay >= 0)) throw new Error(`SGD: weightDecay must be >= 0, received ${o.weightDecay}`);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new Error(
        `SGD: nesterov needs momentum > 0 and dampening 0, received momentum ${o.momentum}, dampening ${o.dampening}`,
      );
    }
  }

  protected update(
    p: Variable,
    grad: Tensor,
    group: ParamGroup<SGDOptions>,
    state: ParamState,
    f: Round,
  ): void {
    const w = p.data.data;
    const g = grad.data;
    const wd = f(group.weightDecay);
    const mom = f(group.momentum);
    const oneMinusDamp = f(1 - group.dampening);
    const negLr = f(-group.lr);
    let buf: Tensor | undefined;
    const first = state.momentum_buffer === undefined;
    if (group.momentum !== 0) {
      if (first) state.momentum_buffer = this.zerosFor(p);
      buf = state.momentum_buffer as Tensor;
    }
    const b = buf?.data;
    if (f === Math.fround && w instanceof Float32Array && g instanceof Float32Array) {
      if (!b || b instanceof Float32Array) {
        // The fused kernel (WebAssembly when available): the loop below, bit for bit.
        const s = {
          weightDecay: wd,
          momentum: mom,
          oneMinusDampening: oneMinusDamp,
          negLr,
          nesterov: group.nesterov,
          first,
        };
        sgdStep(w, g, b ?? null, s);
        return;
      }
    }
    for (let i = 0; i < w.length; i++) {
      let d = g[i]!;
      if (wd !== 0) d = f(d + wd * w[i]!);
      if (b) {
        b[i] = first ? d : f(f(b[i]! * mom) + oneMinusDamp * d);
        d = group.nesterov ? f(d + mom * b[i]!) : b[i]!;
      }
      w[i] = f(w[i]! + negLr * d);
    }
  }
}
