import { type Input, linear, type Variable } from '@tsdl/autograd';
import { type Generator, zeros as zerosTensor } from '@tsdl/tensor';
import { calculateFanInAndFanOut, kaimingUniform, uniform } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Source of the initial weights (default: the global generator). */
  generator?: Generator;
}

/**
 * y = x Wᵀ + b, like torch.nn.Linear: `weight` is [out, in]. Initialised like PyTorch:
 * kaiming-uniform with a=√5 on the weight (U(±1/√in)) and the bias U(±1/√in).
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    for (const [name, v] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(v) || v < 0)
        throw new Error(`Linear: ${name} must be a non-negative integer, received ${v}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const generator = opts.generator;
    this.weight = new Parameter(zerosTensor([outFeatures, inFeatures]));
    if (inFeatures > 0) kaimingUniform(this.weight, { a: Math.sqrt(5), generator });
    this.registerParameter('weight', this.weight);
    this.bias = null;
    if (opts.bias !== false) {
      const { fanIn } = calculateFanInAndFanOut(this.weight.shape);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      this.bias = uniform(new Parameter(zerosTensor([outFeatures])), -bound, bound, { generator });
    }
    this.registerParameter('bias', this.bias);
  }

  forward(x: Input): Variable {
    const last = typeof x === 'number' ? undefined : x.shape[x.shape.length - 1];
    if (last !== this.inFeatures) {
      const shape = typeof x === 'number' ? '[]' : `[${x.shape.join(',')}]`;
      throw new Error(
        `Linear: input's last dim must be inFeatures=${this.inFeatures}, received shape ${shape}`,
      );
    }
    return linear(x, this.weight, this.bias ?? undefined);
  }
}
