import { describe, expect, it } from 'vitest';
import { param } from '../test-utils/optim.js';
import { MultiStepLR } from './multi-step-lr.js';
import { SGD } from './sgd.js';

/** torch's closed form: base · gamma^(number of milestones ≤ epoch, counted with repeats). */
const closedForm = (base: number, gamma: number, milestones: number[], t: number): number =>
  base * gamma ** milestones.filter((m) => m <= t).length;

// Bit-level parity with torch: torch-parity-schedulers.test.ts.
describe('MultiStepLR', () => {
  it('decays at each milestone, a repeated milestone once per repeat, every group', () => {
    const milestones = [9, 3, 6, 6];
    const opt = new SGD([{ params: [param()], lr: 0.2 }, { params: [param()] }], { lr: 0.05 });
    const s = new MultiStepLR(opt, { milestones, gamma: 0.5 });
    expect(s.milestones).toEqual([3, 6, 6, 9]);
    for (let t = 0; t <= 12; t++) {
      if (t > 0) s.step();
      expect(opt.paramGroups[0]!.lr).toBeCloseTo(closedForm(0.2, 0.5, milestones, t), 15);
      expect(opt.paramGroups[1]!.lr).toBeCloseTo(closedForm(0.05, 0.5, milestones, t), 15);
    }
    expect(opt.paramGroups[0]!.lr).toBe(0.2 / 16);
  });

  it('defaults gamma to 0.1 and applies a milestone 0 at construction, like torch', () => {
    const opt = new SGD([param()], { lr: 1 });
    const s = new MultiStepLR(opt, { milestones: [0, 2] });
    expect(opt.lr).toBe(0.1);
    s.step();
    s.step();
    expect(opt.lr).toBeCloseTo(0.01, 17);
  });

  it('restores from its stateDict', () => {
    const make = () => {
      const opt = new SGD([param()], { lr: 0.1 });
      return { opt, s: new MultiStepLR(opt, { milestones: [2, 4] }) };
    };
    const a = make();
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

  it('names bad milestones and gamma', () => {
    const opt = new SGD([param()], { lr: 0.1 });
    expect(() => new MultiStepLR(opt, { milestones: [2, 1.5] })).toThrow(
      'MultiStepLR: milestones must be an array of non-negative integer epochs, received [2, 1.5]',
    );
    expect(() => new MultiStepLR(opt, { milestones: [-1] })).toThrow(/received \[-1\]/);
    expect(() => new MultiStepLR(opt, { milestones: 5 as unknown as number[] })).toThrow(/received 5/);
    expect(() => new MultiStepLR(opt, { milestones: [1], gamma: 0 })).toThrow(
      'MultiStepLR: gamma must be a positive finite number, received 0',
    );
  });
});
