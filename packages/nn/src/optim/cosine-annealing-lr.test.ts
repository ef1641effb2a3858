import { describe, expect, it } from 'vitest';
import { param } from '../test-utils/optim.js';
import { CosineAnnealingLR } from './cosine-annealing-lr.js';
import { SGD } from './sgd.js';

describe('CosineAnnealingLR', () => {
  // Expected: scripts/torch-optim-reference.py. tsdl runs torch's recursive form; what differences
  // remain (≤ 1 ulp) come from V8's Math.cos, which is not glibc's cos (cos(6π/5) differs in the last bit).
  it('matches torch over more than one period', () => {
    const opt = new SGD([param()], { lr: 0.1 });
    const s = new CosineAnnealingLR(opt, { tMax: 5, etaMin: 0.01 });
    const got = [opt.lr];
    for (let i = 0; i < 12; i++) {
      opt.step();
      s.step();
      got.push(opt.lr);
    }
    const torch = [
      0.1, 0.09140576474687263, 0.06890576474687263, 0.04109423525312736, 0.018594235253127367, 0.01,
      0.018594235253127367, 0.04109423525312739, 0.06890576474687267, 0.09140576474687269,
      0.10000000000000006, 0.09140576474687272, 0.06890576474687268,
    ];
    for (const [i, v] of got.entries())
      expect(Math.abs(v - torch[i]!) / torch[i]!).toBeLessThanOrEqual(1e-15);
  });
});
