import { LRScheduler } from './lr-scheduler.js';
import type { Optimizer } from './optimizer.js';

/**
 * Multiplies every group's lr by gamma each epoch (torch.optim.lr_scheduler.ExponentialLR), in
 * torch 1.13's chained form (lr·gamma from the current lr), so the doubles are torch's.
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: Optimizer, opts: { gamma: number }) {
    super(optimizer);
    const gamma = opts?.gamma;
    if (typeof gamma !== 'number' || !Number.isFinite(gamma) || gamma <= 0) {
      throw new Error(`ExponentialLR: gamma must be a positive finite number, received ${String(gamma)}`);
    }
    this.gamma = gamma;
    this.init();
  }

  protected getLr(): number[] {
    const lrs = this.optimizer.paramGroups.map((g) => g.lr);
    if (this.lastEpoch === 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}
