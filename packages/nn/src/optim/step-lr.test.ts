import { describe, expect, it } from 'vitest';
import { param } from '../test-utils/optim.js';
import { SGD } from './sgd.js';
import { StepLR } from './step-lr.js';

/** lr after construction and after each of n (optimizer.step(), scheduler.step()) pairs. */
function sequence(gamma: number | undefined, stepSize: number, n: number): number[] {
  const opt = new SGD([param()], { lr: 0.1 });
  const s = new StepLR(opt, { stepSize, gamma });
  const out = [opt.lr];
  for (let i = 0; i < n; i++) {
    opt.step();
    s.step();
    out.push(opt.lr);
  }
  expect(s.getLastLr()).toEqual([opt.lr]);
  return out;
}

describe('StepLR', () => {
  // Expected: scripts/torch-optim-reference.py (torch 1.13's StepLR, chainable form: bit-equal doubles).
  it('matches torch', () => {
    expect(sequence(0.5, 3, 10)).toEqual([
      0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125,
    ]);
    expect(sequence(undefined, 2, 7)).toEqual([
      0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.0010000000000000002, 0.0010000000000000002,
      0.00010000000000000003, 0.00010000000000000003,
    ]);
  });

  it('records initialLr on the group and restores from its stateDict', () => {
    const opt = new SGD([param()], { lr: 0.1 });
    const s = new StepLR(opt, { stepSize: 1 });
    expect(opt.paramGroups[0]!.initialLr).toBe(0.1);
    s.step();
    const opt2 = new SGD([param()], { lr: 0.1 });
    const s2 = new StepLR(opt2, { stepSize: 1 });
    s2.loadStateDict(s.stateDict());
    opt2.lr = opt.lr;
    s.step();
    s2.step();
    expect(opt2.lr).toBe(opt.lr);
    expect(() => new StepLR(opt, { stepSize: 0 })).toThrow(/stepSize must be a positive integer, received 0/);
  });
});
