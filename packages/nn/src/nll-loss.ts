import {
  div,
  flatten,
  gather,
  type Input,
  mul,
  neg,
  permute,
  reshape,
  sum,
  type Variable,
} from '@tsdl/autograd';
import { Tensor } from '@tsdl/tensor';
import { Module } from './module.js';
import { checkReduction, type Reduction, shapeOf, tensorOf } from './reduction.js';

export interface NLLLossOptions {
  /** Per-class weight, shape [C]. */
  weight?: Tensor;
  reduction?: Reduction;
  /** Target value whose samples add nothing to the loss or its mean (default -100). */
  ignoreIndex?: number;
}

/**
 * Negative log-likelihood of log-probabilities, like torch.nn.NLLLoss: input [N, C] (or [C], or
 * [N, C, d1, …]) and int class targets [N] ([], [N, d1, …]); 'mean' divides by the summed weights
 * of the non-ignored targets.
 */
export class NLLLoss extends Module {
  readonly weight: Tensor | undefined;
  readonly reduction: Reduction;
  readonly ignoreIndex: number;

  constructor(opts: NLLLossOptions = {}) {
    super();
    this.weight = opts.weight;
    this.reduction = checkReduction('NLLLoss', opts.reduction ?? 'mean');
    this.ignoreIndex = opts.ignoreIndex ?? -100;
  }

  forward(input: Input, target: Input): Variable {
    const xs = shapeOf(input);
    const ts = shapeOf(target);
    const expected = xs.length === 1 ? [] : [xs[0]!, ...xs.slice(2)];
    if (xs.length === 0 || ts.length !== expected.length || ts.some((d, i) => d !== expected[i])) {
      throw new Error(
        `NLLLoss: input [${xs.join(',')}] needs target shape [${expected.join(',')}], received [${ts.join(',')}]`,
      );
    }
    const c = xs.length === 1 ? xs[0]! : xs[1]!;
    // Move the class dim last and flatten the rest: [M, C] rows with one target each.
    let x: Variable | Input = input;
    if (xs.length > 2) x = permute(x, [0, ...Array.from({ length: xs.length - 2 }, (_, i) => i + 2), 1]);
    x = reshape(x, [-1, c]);
    const t = tensorOf(target).contiguous();
    const m = t.size;
    const idx = new Int32Array(m);
    const w = new Float32Array(m);
    const cw = this.weight?.toTypedArray();
    if (cw && cw.length !== c)
      throw new Error(`NLLLoss: weight must have ${c} elements (one per class), received ${cw.length}`);
    for (let i = 0; i < m; i++) {
      const k = t.data[i]!;
      if (k === this.ignoreIndex) continue;
      if (!Number.isInteger(k) || k < 0 || k >= c) {
        throw new Error(`NLLLoss: target ${k} at flat index ${i} is out of range for ${c} classes`);
      }
      idx[i] = k;
      w[i] = cw ? cw[k]! : 1;
    }
    const picked = flatten(gather(x, 1, new Tensor(idx, [m, 1])), 0, -1);
    const wt = new Tensor(tensorOf(input).dtype === 'float64' ? Float64Array.from(w) : w, [m]);
    const l = neg(mul(picked, wt));
    if (this.reduction === 'none') return reshape(l, ts);
    const total = sum(l);
    if (this.reduction === 'sum') return total;
    let wsum = 0;
    for (let i = 0; i < m; i++) wsum += w[i]!;
    return div(total, wsum);
  }
}
