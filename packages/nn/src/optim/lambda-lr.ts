import { LRScheduler } from './lr-scheduler.js';
import type { Optimizer } from './optimizer.js';

/** A factor of the epoch (0 at construction, then 1, 2, … after each `step()`). */
export type LrLambda = (epoch: number) => number;

/**
 * Sets each group's lr to its initial lr times `lrLambda(epoch)` (torch.optim.lr_scheduler.LambdaLR); one
 * function for every group or one per group. Like torch, the state dict holds no function: build the
 * scheduler with the same functions before restoring it.
 */
export class LambdaLR extends LRScheduler {
  readonly lrLambdas: readonly LrLambda[];

  constructor(optimizer: Optimizer, opts: { lrLambda: LrLambda | readonly LrLambda[] }) {
    super(optimizer);
    const f = opts?.lrLambda;
    const n = optimizer.paramGroups.length;
    if (Array.isArray(f)) {
      if (f.length !== n) {
        throw new Error(`LambdaLR: lrLambda has ${f.length} functions, the optimizer has ${n} param groups`);
      }
      f.forEach((fn, i) => {
        if (typeof fn !== 'function') {
          throw new Error(`LambdaLR: lrLambda[${i}] must be a function of the epoch, received ${typeof fn}`);
        }
      });
      this.lrLambdas = [...f];
    } else if (typeof f === 'function') {
      this.lrLambdas = new Array<LrLambda>(n).fill(f as LrLambda);
    } else {
      throw new Error(
        `LambdaLR: lrLambda must be a function of the epoch or an array of them, received ${typeof f}`,
      );
    }
    this.init();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((base, i) => {
      const factor = this.lrLambdas[i]!(this.lastEpoch);
      if (typeof factor !== 'number' || Number.isNaN(factor)) {
        throw new Error(
          `LambdaLR: lrLambda(${this.lastEpoch}) must return a number, received ${String(factor)}`,
        );
      }
      return base * factor;
    });
  }
}
