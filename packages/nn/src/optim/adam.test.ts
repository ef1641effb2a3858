import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { Parameter } from '../parameter.js';
import { param, runSteps } from '../test-utils/optim.js';
import { Adam } from './adam.js';

/** torch 1.13's Adam in float64, for comparison. */
function adamRef(w: number[], grads: number[][], lr: number, b1: number, b2: number, eps: number): number[] {
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  grads.forEach((g, s) => {
    const t = s + 1;
    const bc1 = 1 - b1 ** t;
    const bc2 = 1 - b2 ** t;
    w = w.map((wi, i) => {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      return wi - (lr / bc1) * (m[i]! / (Math.sqrt(v[i]!) / Math.sqrt(bc2) + eps));
    });
  });
  return w;
}

describe('Adam', () => {
  it('first step moves each weight by lr·sign(g) (bias correction undoes the zero init)', () => {
    const p = new Parameter(tensor([1, -2, 3]));
    const opt = new Adam([p], { lr: 0.01 });
    p.grad = tensor([0.5, -4, 1e-3]);
    opt.step();
    const expected = adamRef([1, -2, 3], [[0.5, -4, 1e-3]], 0.01, 0.9, 0.999, 1e-8);
    expect(expected[0]).toBeCloseTo(0.99, 6);
    for (const [i, v] of Array.from(p.data.data).entries()) expect(v).toBeCloseTo(expected[i]!, 6);
  });

  it('three steps match the bias-corrected formula computed in float64', () => {
    const p = new Parameter(tensor([1, -2, 3]));
    const opt = new Adam([p], { lr: 0.1, betas: [0.8, 0.95], eps: 1e-6 });
    const grads = [
      [0.5, -4, 2],
      [0.1, 1, -3],
      [-0.7, 0.2, 0.3],
    ];
    for (const g of grads) {
      p.grad = tensor(g);
      opt.step();
    }
    const expected = adamRef([1, -2, 3], grads, 0.1, 0.8, 0.95, 1e-6);
    for (const [i, v] of Array.from(p.data.data).entries()) expect(v).toBeCloseTo(expected[i]!, 5);
    expect(opt.stateDict().state[0]!.step).toBe(3);
  });

  // Expected: scripts/torch-optim-reference.py (torch 1.13; same float32 grads, so exact):
  //   torch.optim.Adam([p], lr=0.01)  and  torch.optim.Adam([p], lr=0.02, weight_decay=0.1, amsgrad=True, betas=(0.8, 0.9))
  it('matches torch for 3 steps (default; amsgrad with L2 weight decay)', () => {
    const p1 = param();
    const r1 = runSteps(new Adam([p1], { lr: 0.01 }), p1, 3);
    expect(r1).toEqual([1.4700260162353516, -2.0300118923187256, 2.9700074195861816, 0.27999454736709595]);
    const p2 = param();
    const r2 = runSteps(
      new Adam([p2], { lr: 0.02, weightDecay: 0.1, amsgrad: true, betas: [0.8, 0.9] }),
      p2,
      3,
    );
    expect(r2).toEqual([1.4401161670684814, -2.060051679611206, 2.940033435821533, 0.30996811389923096]);
  });

  it('a large parameter saved and reloaded mid-training continues bit for bit', () => {
    // 10 000 elements: moments live in WebAssembly memory where available; loaded ones move there too
    const n = 10_000;
    const init = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
    const grad = (s: number) => tensor(Float32Array.from({ length: n }, (_, i) => Math.cos(i * (s + 1))));
    const a = new Parameter(tensor(init.slice()));
    const b = new Parameter(tensor(init.slice()));
    const optA = new Adam([a], { lr: 0.01 });
    let optB = new Adam([b], { lr: 0.01 });
    for (let s = 0; s < 4; s++) {
      if (s === 2) {
        const sd = optB.stateDict();
        optB = new Adam([b], { lr: 0.01 });
        optB.loadStateDict(sd);
      }
      a.grad = grad(s);
      b.grad = grad(s);
      optA.step();
      optB.step();
    }
    expect(Array.from(b.data.data)).toEqual(Array.from(a.data.data));
    const m = (o: Adam) => Array.from((o.stateDict().state[0]!.exp_avg as { data: Float32Array }).data);
    expect(m(optB)).toEqual(m(optA));
  });

  it('rejects bad hyper-parameters naming the option', () => {
    expect(() => new Adam([param()], { betas: [1, 0.999] })).toThrow(
      /Adam: betas\[0\] must be in \[0, 1\), received 1/,
    );
    expect(() => new Adam([param()], { eps: -1 })).toThrow(/eps must be >= 0/);
  });
});
