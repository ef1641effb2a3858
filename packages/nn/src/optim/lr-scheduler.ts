import type { Optimizer } from './optimizer.js';

/** JSON-safe scheduler snapshot (stored in checkpoint metadata). */
export type SchedulerStateDict = Record<string, number | number[] | boolean | string>;

/**
 * Base of the epoch-based schedulers, like torch's _LRScheduler: remembers each group's initial lr,
 * sets the epoch-0 lr at construction, and `step()` (called after `optimizer.step()`, once per epoch)
 * advances `lastEpoch` and writes the new lr into every param group.
 */
export abstract class LRScheduler {
  lastEpoch = -1;
  readonly baseLrs: number[];
  private lastLr: number[] = [];

  constructor(readonly optimizer: Optimizer) {
    for (const g of optimizer.paramGroups) g.initialLr ??= g.lr;
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr!);
  }

  /** The lr of each group for `lastEpoch`, from the current ones (PyTorch's chainable get_lr). */
  protected abstract getLr(): number[];

  /** Call in the subclass constructor once its fields are set (PyTorch's initial step). */
  protected init(): void {
    this.step();
  }

  step(): void {
    this.lastEpoch++;
    const lrs = this.getLr();
    for (const [i, g] of this.optimizer.paramGroups.entries()) g.lr = lrs[i]!;
    this.lastLr = lrs;
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr] };
  }

  loadStateDict(sd: SchedulerStateDict): void {
    this.lastEpoch = sd.lastEpoch as number;
    this.lastLr = [...(sd.lastLr as number[])];
    for (const [i, v] of (sd.baseLrs as number[]).entries()) this.baseLrs[i] = v;
  }
}
