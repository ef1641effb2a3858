import { describe, expect, it } from 'vitest';
import { param } from '../test-utils/optim.js';
import { LinearLR } from './linear-lr.js';
import { SGD } from './sgd.js';

/** torch's closed form: base · (s + (e − s) · min(n, t) / n). */
const closedForm = (base: number, s: number, e: number, n: number, t: number): number =>
  base * (s + ((e - s) * Math.min(n, t)) / n);

// Bit-level parity with torch (the chained form): torch-parity-schedulers.test.ts.
describe('LinearLR', () => {
  it('moves the factor linearly from startFactor to endFactor over totalIters, then holds it', () => {
    for (const [s, e, n] of [
      [1 / 3, 1, 5],
      [1, 0.1, 10],
      [0.25, 0.75, 7],
    ] as const) {
      const opt = new SGD([{ params: [param()], lr: 0.3 }, { params: [param()] }], { lr: 0.01 });
      const sched = new LinearLR(opt, { startFactor: s, endFactor: e, totalIters: n });
      for (let t = 0; t <= n + 4; t++) {
        if (t > 0) sched.step();
        expect(opt.paramGroups[0]!.lr).toBeCloseTo(closedForm(0.3, s, e, n, t), 15);
        expect(opt.paramGroups[1]!.lr).toBeCloseTo(closedForm(0.01, s, e, n, t), 15);
      }
    }
  });

  it("has torch's defaults: startFactor 1/3, endFactor 1, totalIters 5", () => {
    const opt = new SGD([param()], { lr: 0.3 });
    const s = new LinearLR(opt);
    expect([s.startFactor, s.endFactor, s.totalIters]).toEqual([1 / 3, 1, 5]);
    expect(opt.lr).toBe(0.3 * (1 / 3));
  });

  it('restores from its stateDict', () => {
    const make = () => {
      const opt = new SGD([param()], { lr: 0.1 });
      return { opt, s: new LinearLR(opt, { totalIters: 4 }) };
    };
    const a = make();
    a.s.step();
    a.s.step();
    const b = make();
    b.s.loadStateDict(JSON.parse(JSON.stringify(a.s.stateDict())));
    b.opt.lr = a.opt.lr;
    for (let i = 0; i < 4; i++) {
      a.s.step();
      b.s.step();
      expect(b.opt.lr).toBe(a.opt.lr);
    }
  });

  it('names bad factors and totalIters', () => {
    const opt = new SGD([param()], { lr: 0.1 });
    expect(() => new LinearLR(opt, { startFactor: 0 })).toThrow(
      'LinearLR: startFactor must be in (0, 1], received 0',
    );
    expect(() => new LinearLR(opt, { endFactor: 1.5 })).toThrow(
      'LinearLR: endFactor must be in [0, 1], received 1.5',
    );
    expect(() => new LinearLR(opt, { totalIters: 2.5 })).toThrow(
      'LinearLR: totalIters must be a positive integer, received 2.5',
    );
  });
});
