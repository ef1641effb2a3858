import { conv2d, type Input, type Variable } from '@tsdl/autograd';
import { type Generator, type Pair, zeros } from '@tsdl/tensor';
import { kaimingUniform, uniform } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface Conv2dOptions {
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  groups?: number;
  /** Learn an additive bias per output channel (default true). */
  bias?: boolean;
  /** Source of the initial weights (default: the global generator). */
  generator?: Generator;
}

const pair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/**
 * 2-D convolution over NCHW input, like torch.nn.Conv2d. `weight` is [out, in/groups, kh, kw];
 * initialised like PyTorch (kaiming-uniform with a=√5, which is U(±1/√fan_in), and the bias U(±1/√fan_in)).
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, opts: Conv2dOptions = {}) {
    super();
    const groups = opts.groups ?? 1;
    for (const [name, v] of [
      ['inChannels', inChannels],
      ['outChannels', outChannels],
      ['groups', groups],
    ] as const) {
      if (!Number.isInteger(v) || v <= 0)
        throw new Error(`Conv2d: ${name} must be a positive integer, received ${v}`);
    }
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new Error(
        `Conv2d: inChannels (${inChannels}) and outChannels (${outChannels}) must both be divisible by groups (${groups})`,
      );
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pair(kernelSize);
    this.stride = pair(opts.stride ?? 1);
    this.padding = pair(opts.padding ?? 0);
    this.dilation = pair(opts.dilation ?? 1);
    this.groups = groups;
    for (const [name, v, min] of [
      ['kernelSize', this.kernelSize, 1],
      ['stride', this.stride, 1],
      ['padding', this.padding, 0],
      ['dilation', this.dilation, 1],
    ] as const) {
      if (!v.every((d) => Number.isInteger(d) && d >= min)) {
        throw new Error(`Conv2d: ${name} must be integers >= ${min}, received [${v.join(',')}]`);
      }
    }
    const [kh, kw] = this.kernelSize;
    const generator = opts.generator;
    this.weight = new Parameter(zeros([outChannels, inChannels / groups, kh, kw]));
    kaimingUniform(this.weight, { a: Math.sqrt(5), generator }); // = U(±1/√fan_in)
    this.registerParameter('weight', this.weight);
    const bound = 1 / Math.sqrt((inChannels / groups) * kh * kw);
    this.bias =
      opts.bias === false ? null : uniform(new Parameter(zeros([outChannels])), -bound, bound, { generator });
    this.registerParameter('bias', this.bias);
  }

  forward(x: Input): Variable {
    return conv2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}
