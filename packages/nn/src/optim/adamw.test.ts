import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { Parameter } from '../parameter.js';
import { param, runSteps } from '../test-utils/optim.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';

describe('AdamW', () => {
  it('defaults to weightDecay 0.01 and decays the weight before the Adam step', () => {
    const p = new Parameter(tensor([2]));
    const opt = new AdamW([p], { lr: 0.1 });
    expect(opt.paramGroups[0]!.weightDecay).toBe(0.01);
    p.grad = tensor([3]);
    opt.step();
    // Decoupled: 2·(1 − 0.1·0.01), then Adam's first step −lr·sign(g).
    expect(p.data.data[0]).toBeCloseTo(2 * (1 - 0.001) - 0.1, 6);
  });

  it('with weightDecay 0 equals Adam', () => {
    const a = param();
    const b = param();
    expect(runSteps(new AdamW([a], { lr: 0.05, weightDecay: 0 }), a, 4)).toEqual(
      runSteps(new Adam([b], { lr: 0.05 }), b, 4),
    );
  });

  // Expected: scripts/torch-optim-reference.py (torch 1.13; same float32 grads, so exact).
  it('matches torch for 3 steps', () => {
    const p = param();
    const r = runSteps(new AdamW([p], { lr: 0.01 }), p, 3);
    expect(r).toEqual([1.4695794582366943, -2.0294084548950195, 2.9691107273101807, 0.27991655468940735]);
  });
});
