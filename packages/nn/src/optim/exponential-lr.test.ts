import { describe, expect, it } from 'vitest';
import { param } from '../test-utils/optim.js';
import { ExponentialLR } from './exponential-lr.js';
import { SGD } from './sgd.js';

// Bit-level parity with torch: torch-parity-schedulers.test.ts.
describe('ExponentialLR', () => {
  it('multiplies each group by gamma every step, matching the closed form base·gamma^t', () => {
    const opt = new SGD(
      [
        { params: [param()], lr: 0.1 },
        { params: [param()], lr: 0.02 },
      ],
      { lr: 0.5 },
    );
    const s = new ExponentialLR(opt, { gamma: 0.8 });
    for (let t = 0; t <= 20; t++) {
      if (t > 0) s.step();
      for (const [i, base] of [0.1, 0.02].entries()) {
        expect(Math.abs(opt.paramGroups[i]!.lr - base * 0.8 ** t)).toBeLessThan(1e-14 * base);
      }
    }
    expect(s.lastEpoch).toBe(20);
    expect(s.baseLrs).toEqual([0.1, 0.02]);
  });

  it('chains from the current lr, like torch (an lr changed by hand keeps decaying from there)', () => {
    const opt = new SGD([param()], { lr: 0.1 });
    const s = new ExponentialLR(opt, { gamma: 0.5 });
    opt.lr = 1;
    s.step();
    expect(opt.lr).toBe(0.5);
  });

  it('restores from its stateDict', () => {
    const opt = new SGD([param()], { lr: 0.1 });
    const s = new ExponentialLR(opt, { gamma: 0.9 });
    s.step();
    s.step();
    const opt2 = new SGD([param()], { lr: 0.1 });
    const s2 = new ExponentialLR(opt2, { gamma: 0.9 });
    s2.loadStateDict(JSON.parse(JSON.stringify(s.stateDict())));
    opt2.lr = opt.lr; // the optimizer's own state carries the lr in a checkpoint
    s.step();
    s2.step();
    expect(s2.lastEpoch).toBe(3);
    expect(opt2.lr).toBe(opt.lr);
  });

  it('names a bad gamma', () => {
    const opt = new SGD([param()], { lr: 0.1 });
    for (const gamma of [0, -0.5, Number.NaN, Infinity]) {
      expect(() => new ExponentialLR(opt, { gamma })).toThrow(
        `ExponentialLR: gamma must be a positive finite number, received ${gamma}`,
      );
    }
    expect(() => new ExponentialLR(opt, {} as { gamma: number })).toThrow(/gamma .* received undefined/);
  });
});
