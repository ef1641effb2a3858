import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { Parameter } from '../parameter.js';
import { param, runSteps } from '../test-utils/optim.js';
import { RMSprop } from './rmsprop.js';

describe('RMSprop', () => {
  it('first step: v = (1−α)g², p −= lr·g/(√v + eps)', () => {
    const p = new Parameter(tensor([1, -1]));
    const opt = new RMSprop([p]);
    p.grad = tensor([2, -0.5]);
    opt.step();
    const expected = [
      1 - (0.01 * 2) / (Math.sqrt(0.01 * 4) + 1e-8),
      -1 + (0.01 * 0.5) / (Math.sqrt(0.01 * 0.25) + 1e-8),
    ];
    for (const [i, v] of Array.from(p.data.data).entries()) expect(v).toBeCloseTo(expected[i]!, 6);
  });

  // Expected: scripts/torch-optim-reference.py (torch 1.13; same float32 grads, so exact):
  //   torch.optim.RMSprop([p], lr=0.01)  and  RMSprop([p], lr=0.01, momentum=0.9, centered=True, weight_decay=0.05)
  it('matches torch for 3 steps (plain; centered with momentum and weight decay)', () => {
    const p1 = param();
    const r1 = runSteps(new RMSprop([p1], { lr: 0.01 }), p1, 3);
    expect(r1).toEqual([1.293674349784851, -2.2390005588531494, 2.777440071105957, 0.47285887598991394]);
    const p2 = param();
    const r2 = runSteps(
      new RMSprop([p2], { lr: 0.01, momentum: 0.9, centered: true, weightDecay: 0.05 }),
      p2,
      3,
    );
    expect(r2).toEqual([1.0743356943130493, -2.4857661724090576, 2.544437885284424, 0.7036412954330444]);
  });
});
