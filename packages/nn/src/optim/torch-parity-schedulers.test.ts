// Parity with PyTorch 1.13's lr schedulers: /fixtures/torch-parity-schedulers.json (made by
// /fixtures/make-torch-parity-schedulers.py) holds every group's lr and momentum after construction and
// after each step for SGD and Adam with several param groups. Each case is replayed here on a small
// model trained for real, then again with a checkpoint saved and restored midway.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Generator, randn } from '@tsdl/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../checkpoint.js';
import { Linear } from '../linear.js';
import { ModuleList } from '../module-list.js';
import { MSELoss } from '../mse-loss.js';
import { Adam } from './adam.js';
import { CosineAnnealingLR } from './cosine-annealing-lr.js';
import { ExponentialLR } from './exponential-lr.js';
import { LambdaLR, type LrLambda } from './lambda-lr.js';
import { LinearLR } from './linear-lr.js';
import type { LRScheduler } from './lr-scheduler.js';
import { MultiStepLR } from './multi-step-lr.js';
import { OneCycleLR, type OneCycleLROptions } from './one-cycle-lr.js';
import type { Optimizer } from './optimizer.js';
import { SGD } from './sgd.js';
import { StepLR } from './step-lr.js';

interface Case {
  scheduler: string;
  optimizer: 'SGD' | 'SGDNoMomentum' | 'Adam';
  lrs: number[];
  options: Record<string, unknown>;
  lr: number[][];
  momentum: number[][];
  raisesOnStepCall?: number;
}

const FIXTURE = fileURLToPath(new URL('../../../../fixtures/torch-parity-schedulers.json', import.meta.url));
if (!existsSync(FIXTURE)) {
  throw new Error(
    `missing fixture ${FIXTURE}: run /usr/bin/python3 fixtures/make-torch-parity-schedulers.py`,
  );
}
const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { torch: string; steps: number; cases: Case[] };

// The script's LAMBDAS, by the same names.
const LAMBDAS: Record<string, LrLambda> = {
  pow095: (epoch) => 0.95 ** epoch,
  warmup5: (epoch) => Math.min(1.0, (epoch + 1) / 5),
  halveEvery10: (epoch) => 0.5 ** Math.floor(epoch / 10),
};

const SCHEDULERS: Record<string, (opt: Optimizer, o: Record<string, unknown>) => LRScheduler> = {
  ExponentialLR: (opt, o) => new ExponentialLR(opt, o as { gamma: number }),
  MultiStepLR: (opt, o) => new MultiStepLR(opt, o as { milestones: number[]; gamma?: number }),
  LambdaLR: (opt, o) => {
    const names = o.lrLambda as string | string[];
    return new LambdaLR(opt, {
      lrLambda: Array.isArray(names) ? names.map((n) => LAMBDAS[n]!) : LAMBDAS[names]!,
    });
  },
  LinearLR: (opt, o) => new LinearLR(opt, o),
  OneCycleLR: (opt, o) => new OneCycleLR(opt, o as unknown as OneCycleLROptions),
  StepLR: (opt, o) => new StepLR(opt, o as { stepSize: number; gamma?: number }),
  CosineAnnealingLR: (opt, o) => new CosineAnnealingLR(opt, o as { tMax: number; etaMin?: number }),
};

const X = randn([8, 2], { generator: new Generator(7) });
const Y = randn([8, 1], { generator: new Generator(8) });

/** One Linear(2, 1) head per param group (in a ModuleList), its optimizer and the case's scheduler. */
function setup(c: Case, seed: number) {
  const g = new Generator(seed);
  const model = new ModuleList<Linear>(c.lrs.map(() => new Linear(2, 1, { generator: g })));
  const groups = c.lrs.map((lr, i) => ({ params: model.at(i).parameters(), lr }));
  const optimizer =
    c.optimizer === 'Adam'
      ? new Adam(groups, { lr: 1e-3, betas: [0.9, 0.999] })
      : new SGD(groups, { lr: 0.1, momentum: c.optimizer === 'SGD' ? 0.9 : 0 });
  const scheduler = SCHEDULERS[c.scheduler]!(optimizer, c.options);
  return { model, optimizer, scheduler };
}

type Run = ReturnType<typeof setup>;

const momentumOf = (g: object): number => {
  const group = g as { betas?: number[]; momentum?: number };
  return group.betas ? group.betas[0]! : group.momentum!;
};

function record(run: Run, lr: number[][], momentum: number[][]): void {
  lr.push(run.optimizer.paramGroups.map((g) => g.lr));
  momentum.push(run.optimizer.paramGroups.map(momentumOf));
  expect(run.scheduler.getLastLr()).toEqual(lr.at(-1));
}

/** A training step on every head (so momentum buffers and Adam moments are real), then scheduler.step(). */
function step(run: Run): void {
  const loss = new MSELoss();
  run.optimizer.zeroGrad();
  for (const head of run.model) loss.forward(head.forward(X), Y).backward();
  run.optimizer.step();
  run.scheduler.step();
}

const label = (c: Case): string => `${c.scheduler} on ${c.optimizer} ${JSON.stringify(c.options)}`;

/** Worst relative error per case, printed at the end so the report shows how close each came. */
const report: string[] = [];
afterAll(() => console.info(`scheduler parity with torch ${fixture.torch}:\n  ${report.join('\n  ')}`));

function expectClose(what: string, got: number[][], want: number[][]): void {
  expect(got.length, `${what}: steps`).toBe(want.length);
  let worst = 0;
  let exact = 0;
  let total = 0;
  for (const [t, row] of want.entries()) {
    expect(got[t]!.length, `${what}: groups at step ${t}`).toBe(row.length);
    for (const [i, e] of row.entries()) {
      const a = got[t]![i]!;
      const rel = a === e ? 0 : Math.abs(a - e) / Math.abs(e);
      worst = Math.max(worst, Number.isNaN(rel) ? Infinity : rel);
      exact += a === e ? 1 : 0;
      total++;
      expect(rel <= 1e-12, `${what}: step ${t}, group ${i}: tsdl ${a}, torch ${e}`).toBe(true);
    }
  }
  report.push(`${what}: max rel ${worst.toExponential(1)}, ${exact}/${total} bit-equal`);
}

describe('schedulers match PyTorch 1.13', () => {
  it('the fixture covers every new scheduler, SGD and Adam, several groups and each OneCycleLR mode', () => {
    const kinds = new Set(fixture.cases.map((c) => c.scheduler));
    for (const k of ['ExponentialLR', 'MultiStepLR', 'LambdaLR', 'LinearLR', 'OneCycleLR'])
      expect(kinds).toContain(k);
    const oneCycle = fixture.cases.filter((c) => c.scheduler === 'OneCycleLR');
    expect(oneCycle.some((c) => c.options.annealStrategy === 'linear')).toBe(true);
    expect(oneCycle.some((c) => c.options.annealStrategy === undefined && c.options.threePhase)).toBe(true);
    expect(oneCycle.some((c) => c.optimizer === 'Adam')).toBe(true);
    expect(fixture.cases.every((c) => c.lr.length === fixture.steps + 1)).toBe(true);
  });

  for (const c of fixture.cases) {
    it(label(c), () => {
      const run = setup(c, 0);
      const lr: number[][] = [];
      const momentum: number[][] = [];
      record(run, lr, momentum);
      for (let t = 0; t < fixture.steps; t++) {
        step(run);
        record(run, lr, momentum);
      }
      expectClose(`${label(c)} lr`, lr, c.lr);
      expectClose(`${label(c)} momentum`, momentum, c.momentum);
      if (c.raisesOnStepCall !== undefined) {
        // torch raised on this call of step(); every earlier one must succeed here too.
        for (let call = fixture.steps + 1; call < c.raisesOnStepCall; call++) step(run);
        expect(() => step(run)).toThrow(/OneCycleLR: tried to step \d+ times; the cycle has totalSteps \d+/);
      }
    });
  }
});

describe('schedulers resume from a checkpoint', () => {
  const K = 13; // past MultiStepLR's first milestones, LinearLR's warm-up and OneCycleLR's first phase
  for (const c of fixture.cases) {
    it(`${label(c)}: save after ${K} steps, restore, continue`, async () => {
      const straight = setup(c, 0);
      const lr: number[][] = [];
      const momentum: number[][] = [];
      for (let t = 0; t < fixture.steps; t++) {
        step(straight);
        record(straight, lr, momentum);
      }

      const first = setup(c, 0);
      for (let t = 0; t < K; t++) step(first);
      const bytes = await saveCheckpoint(undefined, {
        model: first.model,
        optimizer: first.optimizer,
        schedulers: { lr: first.scheduler },
        step: K,
      });
      // Different weights, and a fresh scheduler that has just reset lr and momentum: all overwritten.
      const resumed = setup(c, 99);
      const info = await loadCheckpoint(bytes, {
        model: resumed.model,
        optimizer: resumed.optimizer,
        schedulers: { lr: resumed.scheduler },
      });
      expect(info.step).toBe(K);
      expect(resumed.scheduler.lastEpoch).toBe(K);
      const lr2: number[][] = [];
      const momentum2: number[][] = [];
      for (let t = K; t < fixture.steps; t++) {
        step(resumed);
        record(resumed, lr2, momentum2);
      }
      expect(lr2).toEqual(lr.slice(K));
      expect(momentum2).toEqual(momentum.slice(K));
      const weights = (r: Run) => r.model.parameters().map((p) => Array.from(p.data.toTypedArray()));
      expect(weights(resumed)).toEqual(weights(straight));
    });
  }
});
