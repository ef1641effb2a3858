import { describe, expect, it } from 'vitest';
import { param } from '../test-utils/optim.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
import { SGD } from './sgd.js';

function sequence(opts: ReduceLROnPlateauOptions, metrics: number[]): number[] {
  const opt = new SGD([param()], { lr: 0.1 });
  const s = new ReduceLROnPlateau(opt, opts);
  const out = [opt.lr];
  for (const m of metrics) {
    opt.step();
    s.step(m);
    out.push(opt.lr);
  }
  return out;
}

describe('ReduceLROnPlateau', () => {
  // Expected: scripts/torch-optim-reference.py (torch 1.13).
  it('matches torch: min/rel with cooldown and a floor', () => {
    const m = [1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6];
    expect(sequence({ patience: 2, cooldown: 1, factor: 0.5, minLr: 0.02 }, m)).toEqual([
      0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025,
    ]);
  });

  it('matches torch: max/abs', () => {
    const m = [0.5, 0.52, 0.6, 0.61, 0.62, 0.7, 0.7, 0.7];
    expect(sequence({ mode: 'max', thresholdMode: 'abs', threshold: 0.05, patience: 1 }, m)).toEqual([
      0.1, 0.1, 0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002,
      0.0010000000000000002,
    ]);
  });

  it('never goes below minLr and validates options', () => {
    const lrs = sequence({ patience: 0, minLr: 0.03 }, [1, 1, 1, 1]);
    expect(lrs.at(-1)).toBe(0.03);
    expect(() => sequence({ factor: 1 }, [])).toThrow(/factor must be < 1, received 1/);
  });
});
