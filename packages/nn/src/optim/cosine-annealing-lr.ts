import { LRScheduler } from './lr-scheduler.js';
import type { Optimizer } from './optimizer.js';

/**
 * Cosine annealing from each base lr to etaMin over tMax epochs (torch's CosineAnnealingLR): on the
 * curve etaMin + (base − etaMin)·(1 + cos(π·epoch/tMax))/2, computed as torch computes it, step by
 * step from the current lr (chainable): within 1 ulp of torch's values (the closed form drifted to
 * ~5e-15); the rest is V8's Math.cos, which differs from glibc's cos in the last bit for some angles.
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: Optimizer, opts: { tMax: number; etaMin?: number }) {
    super(optimizer);
    if (!(opts.tMax > 0)) throw new Error(`CosineAnnealingLR: tMax must be positive, received ${opts.tMax}`);
    this.tMax = opts.tMax;
    this.etaMin = opts.etaMin ?? 0;
    this.init();
  }

  protected getLr(): number[] {
    const e = this.lastEpoch;
    const T = this.tMax;
    const groups = this.optimizer.paramGroups;
    if (e === 0) return groups.map((g) => g.lr);
    // Past the minimum of a period the ratio below divides by 1 + cos(π) = 0: torch adds the step instead.
    if ((e - 1 - T) % (2 * T) === 0)
      return groups.map(
        (g, i) => g.lr + ((this.baseLrs[i]! - this.etaMin) * (1 - Math.cos(Math.PI / T))) / 2,
      );
    const ratio = (1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T));
    return groups.map((g) => ratio * (g.lr - this.etaMin) + this.etaMin);
  }
}
