import type { Variable } from '@tsdl/autograd';
import { adamMoments, adamStep, Tensor } from '@tsdl/tensor';
import {
  Optimizer,
  type OptimizerOptions,
  type ParamGroup,
  type ParamGroupInput,
  type ParamState,
  type Round,
} from './optimizer.js';

export interface AdamOptions extends OptimizerOptions {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
}

/** Moment tensors made by residentMoments (so a loaded or hand-set state is noticed and moved). */
const resident = new WeakSet<Tensor>();

/**
 * Gives a float32 parameter's state moments that live where the fused Adam kernel reads them without
 * copying (see adamMoments): new zeros, or the values of moments set otherwise (loadStateDict).
 */
function residentMoments(p: Variable, state: ParamState): void {
  const m0 = state.exp_avg as Tensor | undefined;
  const v0 = state.exp_avg_sq as Tensor | undefined;
  if ((m0 !== undefined) !== (v0 !== undefined)) return;
  if (m0 && (m0.dtype !== 'float32' || v0!.dtype !== 'float32')) return;
  const { m, v } = adamMoments(p.size);
  if (m0) {
    m.set(m0.contiguous().data as Float32Array);
    v.set(v0!.contiguous().data as Float32Array);
  }
  state.exp_avg = new Tensor(m, p.shape);
  state.exp_avg_sq = new Tensor(v, p.shape);
  resident.add(state.exp_avg);
}

/** Shared by Adam and AdamW: PyTorch 1.13's single-tensor Adam step after any weight decay. */
export function adamUpdate(
  p: Variable,
  g: ArrayLike<number>,
  group: AdamOptions & { lr: number },
  state: ParamState,
  f: Round,
  zeros: () => Tensor,
): void {
  const [beta1, beta2] = group.betas;
  state.step = ((state.step as number | undefined) ?? 0) + 1;
  if (p.dtype === 'float32' && !resident.has(state.exp_avg as Tensor)) residentMoments(p, state);
  state.exp_avg ??= zeros();
  state.exp_avg_sq ??= zeros();
  if (group.amsgrad) state.max_exp_avg_sq ??= zeros();
  const step = state.step;
  const w = p.data.data;
  const m = (state.exp_avg as Tensor).data;
  const v = (state.exp_avg_sq as Tensor).data;
  const vmax = group.amsgrad ? (state.max_exp_avg_sq as Tensor).data : undefined;
  // Scalars are computed in double like Python, then cast to the tensor's dtype by the kernels.
  const b1 = f(beta1);
  const b2 = f(beta2);
  const oneMinusB1 = f(1 - beta1);
  const oneMinusB2 = f(1 - beta2);
  const biasCorrection1 = 1 - beta1 ** step;
  const biasCorrection2 = 1 - beta2 ** step;
  const negStepSize = f(-(group.lr / biasCorrection1));
  const bc2Sqrt = f(Math.sqrt(biasCorrection2));
  const eps = f(group.eps);
  if (f === Math.fround && !vmax && w instanceof Float32Array && m instanceof Float32Array) {
    if (v instanceof Float32Array && g instanceof Float32Array) {
      // The fused kernel (WebAssembly SIMD when available): the loop below, bit for bit.
      adamStep(w, g, m, v, { b1, b2, oneMinusB1, oneMinusB2, negStepSize, bc2Sqrt, eps });
      return;
    }
  }
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    m[i] = f(f(m[i]! * b1) + oneMinusB1 * gi);
    v[i] = f(f(v[i]! * b2) + f(f(oneMinusB2 * gi) * gi));
    let s = v[i]!;
    if (vmax) s = vmax[i] = Math.max(vmax[i]!, s);
    const denom = f(f(f(Math.sqrt(s)) / bc2Sqrt) + eps);
    w[i] = f(w[i]! + f(f(negStepSize * m[i]!) / denom));
  }
}

/**
 * Adam exactly as torch 1.13 computes it: weight decay is L2 added to the gradient;
 * denom = √v / √(1−β₂ᵗ) + eps; p −= lr/(1−β₁ᵗ) · m / denom. Optional AMSGrad.
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: Iterable<Variable> | ParamGroupInput<AdamOptions>[], opts: Partial<AdamOptions> = {}) {
    super('Adam', params, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
      ...opts,
    });
  }

  protected override validate(o: AdamOptions): void {
    validateAdam(this.name, o);
  }

  protected update(
    p: Variable,
    grad: Tensor,
    group: ParamGroup<AdamOptions>,
    state: ParamState,
    f: Round,
  ): void {
    let g: ArrayLike<number> = grad.data;
    if (group.weightDecay !== 0) {
      const w = p.data.data;
      const wd = f(group.weightDecay);
      const d = new (grad.data.constructor as Float32ArrayConstructor)(w.length);
      for (let i = 0; i < w.length; i++) d[i] = f(grad.data[i]! + wd * w[i]!);
      g = d;
    }
    adamUpdate(p, g, group, state, f, () => this.zerosFor(p));
  }
}

export function validateAdam(name: string, o: AdamOptions): void {
  if (!(o.lr >= 0)) throw new Error(`${name}: lr must be a non-negative number, received ${o.lr}`);
  if (!(o.eps >= 0)) throw new Error(`${name}: eps must be >= 0, received ${o.eps}`);
  for (const [i, b] of o.betas.entries()) {
    if (!(b >= 0 && b < 1)) throw new Error(`${name}: betas[${i}] must be in [0, 1), received ${b}`);
  }
  if (!(o.weightDecay >= 0)) throw new Error(`${name}: weightDecay must be >= 0, received ${o.weightDecay}`);
}
