import { dropout, type Input, type Variable } from '@tsdl/autograd';
import type { Generator } from '@tsdl/tensor';
import { Module } from './module.js';

/**
 * Zeroes each element with probability p in training mode and scales the rest by 1/(1-p);
 * the identity in eval mode (torch.nn.Dropout). Pass a seeded generator for reproducible masks.
 */
export class Dropout extends Module {
  readonly p: number;
  readonly generator: Generator | undefined;

  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: p must be in [0, 1], received ${p}`);
    this.p = p;
    this.generator = opts.generator;
  }

  forward(x: Input): Variable {
    return dropout(x, this.p, this.training, this.generator);
  }
}
