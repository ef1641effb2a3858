import { LRScheduler } from './lr-scheduler.js';
import type { Optimizer } from './optimizer.js';

/**
 * Multiplies the lr by gamma when the epoch reaches each milestone (torch.optim.lr_scheduler.MultiStepLR).
 * A milestone listed k times multiplies by gamma^k, as torch's Counter does; chained form like torch 1.13.
 */
export class MultiStepLR extends LRScheduler {
  readonly milestones: readonly number[];
  readonly gamma: number;
  /** How many times each milestone is listed. */
  private readonly counts = new Map<number, number>();

  constructor(optimizer: Optimizer, opts: { milestones: readonly number[]; gamma?: number }) {
    super(optimizer);
    const milestones = opts?.milestones;
    if (!Array.isArray(milestones) || milestones.some((m) => !Number.isInteger(m) || m < 0)) {
      throw new Error(
        `MultiStepLR: milestones must be an array of non-negative integer epochs, received ${fmt(milestones)}`,
      );
    }
    const gamma = opts.gamma ?? 0.1;
    if (typeof gamma !== 'number' || !Number.isFinite(gamma) || gamma <= 0) {
      throw new Error(`MultiStepLR: gamma must be a positive finite number, received ${String(gamma)}`);
    }
    this.milestones = [...milestones].sort((a, b) => a - b);
    for (const m of milestones) this.counts.set(m, (this.counts.get(m) ?? 0) + 1);
    this.gamma = gamma;
    this.init();
  }

  protected getLr(): number[] {
    const lrs = this.optimizer.paramGroups.map((g) => g.lr);
    const k = this.counts.get(this.lastEpoch);
    if (k === undefined) return lrs;
    return lrs.map((lr) => lr * this.gamma ** k);
  }
}

const fmt = (v: unknown): string => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));
