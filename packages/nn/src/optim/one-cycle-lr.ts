import { LRScheduler, type SchedulerStateDict } from './lr-scheduler.js';
import type { Optimizer } from './optimizer.js';

interface OneCycleLRCommon {
  /** Peak lr, one for every group or one per group. */
  maxLr: number | readonly number[];
  /** Fraction of the cycle spent raising the lr; default 0.3. */
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (SGD/RMSprop `momentum`, Adam/AdamW `betas[0]`) inversely to the lr; default true. */
  cycleMomentum?: boolean;
  baseMomentum?: number | readonly number[];
  maxMomentum?: number | readonly number[];
  /** Initial lr = maxLr / divFactor; default 25. */
  divFactor?: number;
  /** Final lr = initial lr / finalDivFactor; default 1e4. */
  finalDivFactor?: number;
  /** Three phases (up, down to the initial lr, down to the final lr) as in the paper; default false (fastai's two). */
  threePhase?: boolean;
}

/** The cycle's length: `totalSteps`, or `epochs · stepsPerEpoch` (totalSteps wins when both are given). */
export type OneCycleLROptions = OneCycleLRCommon &
  (
    | { totalSteps: number; epochs?: number; stepsPerEpoch?: number }
    | { totalSteps?: undefined; epochs: number; stepsPerEpoch: number }
  );

interface Phase {
  endStep: number;
  startLr: 'initial' | 'max' | 'min';
  endLr: 'initial' | 'max' | 'min';
  startMomentum: 'base' | 'max';
  endMomentum: 'base' | 'max';
}

/**
 * The 1cycle policy (torch.optim.lr_scheduler.OneCycleLR): per batch, the lr rises from maxLr/divFactor to
 * maxLr, then anneals to maxLr/(divFactor·finalDivFactor), while momentum moves the opposite way between
 * maxMomentum and baseMomentum. Call `step()` after every batch; it throws past `totalSteps`. Same
 * phases, formulas and operation order as torch 1.13, which overwrites each group's `initialLr` and
 * momentum (or `betas[0]`) at construction.
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  readonly annealStrategy: 'cos' | 'linear';
  readonly cycleMomentum: boolean;
  /** Whether momentum lives in `betas[0]` (Adam) rather than `momentum` (SGD, RMSprop). */
  readonly useBeta1: boolean;
  readonly maxLrs: number[];
  readonly minLrs: number[];
  readonly maxMomentums: number[];
  readonly baseMomentums: number[];
  private readonly phases: Phase[];

  constructor(optimizer: Optimizer, opts: OneCycleLROptions) {
    super(optimizer);
    const name = 'OneCycleLR';
    if (typeof opts !== 'object' || opts === null) throw new Error(`${name}: options are required`);
    const {
      pctStart = 0.3,
      annealStrategy = 'cos',
      cycleMomentum = true,
      baseMomentum = 0.85,
      maxMomentum = 0.95,
      divFactor = 25,
      finalDivFactor = 1e4,
      threePhase = false,
    } = opts;
    const positiveInt = (arg: string, v: unknown): number => {
      if (!Number.isInteger(v) || (v as number) <= 0) {
        throw new Error(`${name}: ${arg} must be a positive integer, received ${String(v)}`);
      }
      return v as number;
    };
    if (opts.totalSteps !== undefined) this.totalSteps = positiveInt('totalSteps', opts.totalSteps);
    else if (opts.epochs === undefined || opts.stepsPerEpoch === undefined) {
      throw new Error(
        `${name}: give totalSteps, or epochs and stepsPerEpoch; received epochs ${String(opts.epochs)}, stepsPerEpoch ${String(opts.stepsPerEpoch)}`,
      );
    } else {
      this.totalSteps = positiveInt('epochs', opts.epochs) * positiveInt('stepsPerEpoch', opts.stepsPerEpoch);
    }
    if (!(pctStart >= 0 && pctStart <= 1)) {
      throw new Error(`${name}: pctStart must be in [0, 1], received ${pctStart}`);
    }
    if (annealStrategy !== 'cos' && annealStrategy !== 'linear') {
      throw new Error(
        `${name}: annealStrategy must be 'cos' or 'linear', received '${String(annealStrategy)}'`,
      );
    }
    for (const [arg, v] of [
      ['divFactor', divFactor],
      ['finalDivFactor', finalDivFactor],
    ] as const) {
      if (!(Number.isFinite(v) && v > 0))
        throw new Error(`${name}: ${arg} must be a positive number, received ${v}`);
    }
    this.annealStrategy = annealStrategy;
    const T = this.totalSteps;
    // Written as torch writes them: float(pct·T) − 1 and float(2·pct·T) − 2.
    this.phases = threePhase
      ? [
          {
            endStep: pctStart * T - 1,
            startLr: 'initial',
            endLr: 'max',
            startMomentum: 'max',
            endMomentum: 'base',
          },
          {
            endStep: 2 * pctStart * T - 2,
            startLr: 'max',
            endLr: 'initial',
            startMomentum: 'base',
            endMomentum: 'max',
          },
          { endStep: T - 1, startLr: 'initial', endLr: 'min', startMomentum: 'max', endMomentum: 'max' },
        ]
      : [
          {
            endStep: pctStart * T - 1,
            startLr: 'initial',
            endLr: 'max',
            startMomentum: 'max',
            endMomentum: 'base',
          },
          { endStep: T - 1, startLr: 'max', endLr: 'min', startMomentum: 'base', endMomentum: 'max' },
        ];

    const groups = optimizer.paramGroups;
    this.maxLrs = perGroup(name, 'maxLr', opts.maxLr, groups.length, 'a non-negative number', (v) => v >= 0);
    this.cycleMomentum = cycleMomentum;
    const defaults = optimizer.defaults as unknown as Record<string, unknown>;
    this.useBeta1 = 'betas' in defaults;
    const isMomentum = (v: number) => v >= 0 && v <= 1;
    this.maxMomentums = perGroup(name, 'maxMomentum', maxMomentum, groups.length, 'in [0, 1]', isMomentum);
    this.baseMomentums = perGroup(name, 'baseMomentum', baseMomentum, groups.length, 'in [0, 1]', isMomentum);
    if (cycleMomentum && !this.useBeta1 && !('momentum' in defaults)) {
      throw new Error(
        `${name}: cycleMomentum needs an optimizer with momentum or betas (SGD, RMSprop, Adam, AdamW), received ${optimizer.name}; pass cycleMomentum: false`,
      );
    }

    // Everything is checked: now take over the groups, as torch does.
    this.minLrs = [];
    for (const [i, g] of groups.entries()) {
      g.initialLr = this.maxLrs[i]! / divFactor;
      this.baseLrs[i] = g.initialLr;
      this.minLrs.push(g.initialLr / finalDivFactor);
      if (cycleMomentum) this.setMomentum(g, this.maxMomentums[i]!);
    }
    this.init();
  }

  private setMomentum(group: object, m: number): void {
    const g = group as { betas?: readonly number[]; momentum?: number };
    if (this.useBeta1) g.betas = [m, ...g.betas!.slice(1)];
    else g.momentum = m;
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    const cosOut = Math.cos(Math.PI * pct) + 1;
    return end + ((start - end) / 2.0) * cosOut;
  }

  protected getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) {
      throw new Error(
        `OneCycleLR: tried to step ${step + 1} times; the cycle has totalSteps ${this.totalSteps}`,
      );
    }
    return this.optimizer.paramGroups.map((group, i) => {
      const lr = { initial: this.baseLrs[i]!, max: this.maxLrs[i]!, min: this.minLrs[i]! };
      const momentum = { base: this.baseMomentums[i]!, max: this.maxMomentums[i]! };
      let startStep = 0;
      for (const [p, phase] of this.phases.entries()) {
        const { endStep } = phase;
        if (step <= endStep || p === this.phases.length - 1) {
          if (endStep === startStep) {
            // torch raises ZeroDivisionError here.
            throw new Error(
              `OneCycleLR: phase ${p + 1} is empty (ends at step ${endStep}) with totalSteps ${this.totalSteps}; use more steps or another pctStart`,
            );
          }
          const pct = (step - startStep) / (endStep - startStep);
          if (this.cycleMomentum) {
            this.setMomentum(
              group,
              this.anneal(momentum[phase.startMomentum], momentum[phase.endMomentum], pct),
            );
          }
          return this.anneal(lr[phase.startLr], lr[phase.endLr], pct);
        }
        startStep = endStep;
      }
      throw new Error('OneCycleLR: unreachable');
    });
  }

  override stateDict(): SchedulerStateDict {
    // torch keeps these in the param groups; here they travel with the scheduler.
    return {
      ...super.stateDict(),
      maxLrs: [...this.maxLrs],
      minLrs: [...this.minLrs],
      maxMomentums: [...this.maxMomentums],
      baseMomentums: [...this.baseMomentums],
    };
  }

  override loadStateDict(sd: SchedulerStateDict): void {
    super.loadStateDict(sd);
    for (const key of ['maxLrs', 'minLrs', 'maxMomentums', 'baseMomentums'] as const) {
      const v = sd[key];
      if (v === undefined) continue;
      if (!Array.isArray(v) || v.length !== this[key].length) {
        throw new Error(
          `OneCycleLR.loadStateDict: ${key} must have ${this[key].length} entries (one per param group), received ${JSON.stringify(v)}`,
        );
      }
      this[key].splice(0, v.length, ...v);
    }
  }
}

function perGroup(
  name: string,
  arg: string,
  value: unknown,
  n: number,
  expected: string,
  ok: (v: number) => boolean,
): number[] {
  const list = Array.isArray(value) ? value : new Array<unknown>(n).fill(value);
  if (list.length !== n) {
    throw new Error(`${name}: ${arg} has ${list.length} values, the optimizer has ${n} param groups`);
  }
  for (const v of list) {
    if (typeof v !== 'number' || !ok(v)) {
      throw new Error(
        `${name}: ${arg} must be ${expected}${Array.isArray(value) ? ' in every entry' : ''}, received ${Array.isArray(value) ? `[${value.join(', ')}]` : String(v)}`,
      );
    }
  }
  return list as number[];
}
