import { describe, expect, it } from 'vitest';
import { param } from '../test-utils/optim.js';
import { Adam } from './adam.js';
import { OneCycleLR, type OneCycleLROptions } from './one-cycle-lr.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

const sgd = () =>
  new SGD([{ params: [param()], lr: 0.1 }, { params: [param()] }], { lr: 0.1, momentum: 0.9 });

/** Every group's lr and momentum after construction and after each step, `steps` steps. */
function trace(opt: SGD | Adam | RMSprop, opts: OneCycleLROptions, steps: number) {
  const s = new OneCycleLR(opt, opts);
  const momentum = (g: object) => {
    const group = g as { betas?: number[]; momentum?: number };
    return group.betas ? group.betas[0]! : group.momentum!;
  };
  const lr: number[][] = [opt.paramGroups.map((g) => g.lr)];
  const mom: number[][] = [opt.paramGroups.map(momentum)];
  for (let t = 0; t < steps; t++) {
    s.step();
    lr.push(opt.paramGroups.map((g) => g.lr));
    mom.push(opt.paramGroups.map(momentum));
  }
  return { s, lr, mom };
}

// Bit-level parity with torch (both strategies, three phases, Adam's beta1): torch-parity-schedulers.test.ts.
describe('OneCycleLR', () => {
  it('rises from maxLr/divFactor to maxLr at pctStart, then anneals to that over finalDivFactor', () => {
    const { s, lr, mom } = trace(sgd(), { maxLr: [1, 2], totalSteps: 100 }, 99);
    // The optimizer's own lrs are replaced (cos annealing at pct 0 rounds: torch gives 0.040000000000000036).
    expect(lr[0]![0]).toBeCloseTo(1 / 25, 15);
    expect(lr[0]![1]).toBeCloseTo(2 / 25, 15);
    expect(s.baseLrs).toEqual([1 / 25, 2 / 25]);
    const peak = lr.findIndex((row) => row[0] === Math.max(...lr.map((r) => r[0]!)));
    expect(peak).toBe(29); // pct·T − 1
    expect(lr[29]).toEqual([1, 2]);
    expect(lr[99]![0]).toBeCloseTo(1 / 25 / 1e4, 18);
    expect(lr[99]![1]).toBeCloseTo(2 / 25 / 1e4, 18);
    for (let t = 1; t < lr.length; t++) {
      // lr up, momentum down until the peak; the reverse after it.
      const up = t <= 29;
      expect(lr[t]![0]! > lr[t - 1]![0]!).toBe(up);
      expect(mom[t]![0]! < mom[t - 1]![0]!).toBe(up);
      expect(lr[t]![1]).toBeCloseTo(2 * lr[t]![0]!, 15);
    }
    expect(mom[0]![0]).toBeCloseTo(0.95, 15);
    expect(mom[29]).toEqual([0.85, 0.85]);
    expect(mom[99]![0]).toBeCloseTo(0.95, 15);
  });

  it('linear annealing moves by equal steps within each phase', () => {
    const { lr } = trace(sgd(), { maxLr: 1, epochs: 2, stepsPerEpoch: 10, annealStrategy: 'linear' }, 19);
    const d = (t: number) => lr[t]![0]! - lr[t - 1]![0]!;
    for (let t = 2; t <= 5; t++) expect(d(t)).toBeCloseTo(d(1), 14);
    for (let t = 7; t <= 19; t++) expect(d(t)).toBeCloseTo(d(6), 14);
    expect(lr[5]![0]).toBe(1);
  });

  it('threePhase goes back down to the initial lr, then to the final lr with momentum held at max', () => {
    const { lr, mom } = trace(sgd(), { maxLr: 1, totalSteps: 50, threePhase: true }, 49);
    expect(lr[14]![0]).toBe(1); // 0.3·50 − 1
    expect(lr[28]![0]).toBeCloseTo(1 / 25, 15); // 2·0.3·50 − 2
    expect(mom[28]![0]).toBeCloseTo(0.95, 15);
    for (let t = 29; t <= 49; t++) expect(mom[t]![0]).toBe(0.95);
    expect(lr[49]![0]).toBeCloseTo(1 / 25 / 1e4, 18);
  });

  it("cycles Adam's beta1 (keeping beta2) and RMSprop's momentum; cycleMomentum: false leaves them alone", () => {
    const adam = new Adam([param()], { lr: 1e-3, betas: [0.5, 0.777] });
    const a = trace(adam, { maxLr: 0.01, totalSteps: 10, baseMomentum: 0.8, maxMomentum: 0.9 }, 5);
    expect(a.mom[0]).toEqual([0.9]);
    expect(a.mom[2]).toEqual([0.8]);
    expect(adam.paramGroups[0]!.betas[1]).toBe(0.777);
    const rms = new RMSprop([param()], { lr: 1e-3 });
    expect(trace(rms, { maxLr: 0.01, totalSteps: 10 }, 2).mom[2]).toEqual([0.85]);
    const plain = sgd();
    const p = trace(plain, { maxLr: 0.01, totalSteps: 10, cycleMomentum: false }, 5);
    expect(p.mom.every((row) => row.every((m) => m === 0.9))).toBe(true);
  });

  it('steps up to totalSteps and refuses the next step, as torch does', () => {
    const { s } = trace(sgd(), { maxLr: 1, totalSteps: 8 }, 8);
    expect(() => s.step()).toThrow('OneCycleLR: tried to step 10 times; the cycle has totalSteps 8');
  });

  it('restores from its stateDict, bounds included', () => {
    const a = trace(sgd(), { maxLr: [1, 2], totalSteps: 20 }, 7);
    const opt2 = sgd();
    const s2 = new OneCycleLR(opt2, { maxLr: [5, 5], totalSteps: 20 });
    s2.loadStateDict(JSON.parse(JSON.stringify(a.s.stateDict())));
    a.s.step();
    s2.step();
    expect(opt2.paramGroups.map((g) => g.lr)).toEqual(a.s.optimizer.paramGroups.map((g) => g.lr));
    expect(opt2.paramGroups.map((g) => g.momentum)).toEqual(
      (a.s.optimizer as SGD).paramGroups.map((g) => g.momentum),
    );
    expect(() => s2.loadStateDict({ ...a.s.stateDict(), maxLrs: [1] })).toThrow(
      'OneCycleLR.loadStateDict: maxLrs must have 2 entries (one per param group), received [1]',
    );
  });

  it('names bad arguments', () => {
    const bad = (opts: Record<string, unknown>) => () =>
      new OneCycleLR(sgd(), { maxLr: 1, totalSteps: 10, ...opts } as OneCycleLROptions);
    expect(bad({ totalSteps: 0 })).toThrow('OneCycleLR: totalSteps must be a positive integer, received 0');
    expect(bad({ totalSteps: undefined, epochs: 3 })).toThrow(
      'OneCycleLR: give totalSteps, or epochs and stepsPerEpoch; received epochs 3, stepsPerEpoch undefined',
    );
    expect(bad({ totalSteps: undefined, epochs: 3, stepsPerEpoch: 1.5 })).toThrow(
      'OneCycleLR: stepsPerEpoch must be a positive integer, received 1.5',
    );
    expect(bad({ pctStart: 1.2 })).toThrow('OneCycleLR: pctStart must be in [0, 1], received 1.2');
    expect(bad({ annealStrategy: 'exp' })).toThrow(
      "OneCycleLR: annealStrategy must be 'cos' or 'linear', received 'exp'",
    );
    expect(bad({ divFactor: 0 })).toThrow('OneCycleLR: divFactor must be a positive number, received 0');
    expect(bad({ maxLr: [1, 2, 3] })).toThrow(
      'OneCycleLR: maxLr has 3 values, the optimizer has 2 param groups',
    );
    expect(bad({ maxLr: -1 })).toThrow('OneCycleLR: maxLr must be a non-negative number, received -1');
    expect(bad({ maxMomentum: [0.9, 1.5] })).toThrow(
      'OneCycleLR: maxMomentum must be in [0, 1] in every entry, received [0.9, 1.5]',
    );
    // A rejected scheduler leaves the optimizer's lrs and momentum as they were.
    const opt = sgd();
    expect(() => new OneCycleLR(opt, { maxLr: 1, totalSteps: 10, baseMomentum: -1 })).toThrow(
      'OneCycleLR: baseMomentum must be in [0, 1], received -1',
    );
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum])).toEqual([
      [0.1, 0.9],
      [0.1, 0.9],
    ]);
    // pctStart·totalSteps = 1 makes the first phase empty: torch divides by zero at step 0.
    expect(bad({ pctStart: 0.1 })).toThrow(
      /OneCycleLR: phase 1 is empty \(ends at step 0\) with totalSteps 10/,
    );
  });
});
