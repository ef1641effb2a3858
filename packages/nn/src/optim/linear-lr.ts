import { LRScheduler } from './lr-scheduler.js';
import type { Optimizer } from './optimizer.js';

export interface LinearLROptions {
  /** Factor of the lr at epoch 0; default 1/3. */
  startFactor?: number;
  /** Factor reached at epoch totalIters and kept after; default 1. */
  endFactor?: number;
  /** Epochs of the linear change; default 5. */
  totalIters?: number;
}

/**
 * Scales each group's lr by a factor going linearly from startFactor to endFactor over totalIters epochs
 * (torch.optim.lr_scheduler.LinearLR, usually a warm-up), in torch 1.13's chained form so the doubles match.
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: Optimizer, opts: LinearLROptions = {}) {
    super(optimizer);
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = opts;
    // torch 1.13 accepts startFactor 0, then divides by zero at epoch 1.
    if (!(startFactor > 0 && startFactor <= 1)) {
      throw new Error(`LinearLR: startFactor must be in (0, 1], received ${startFactor}`);
    }
    if (!(endFactor >= 0 && endFactor <= 1)) {
      throw new Error(`LinearLR: endFactor must be in [0, 1], received ${endFactor}`);
    }
    if (!Number.isInteger(totalIters) || totalIters <= 0) {
      throw new Error(`LinearLR: totalIters must be a positive integer, received ${totalIters}`);
    }
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.init();
  }

  protected getLr(): number[] {
    const lrs = this.optimizer.paramGroups.map((g) => g.lr);
    const { startFactor: s, endFactor: e, totalIters: n, lastEpoch: t } = this;
    if (t === 0) return lrs.map((lr) => lr * s);
    if (t > n) return lrs;
    // The ratio of consecutive factors, written exactly as torch does.
    return lrs.map((lr) => lr * (1 + (e - s) / (n * s + (t - 1) * (e - s))));
  }
}
