import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { Linear } from '../linear.js';
import { MSELoss } from '../mse-loss.js';
import { Parameter } from '../parameter.js';
import { param, runSteps } from '../test-utils/optim.js';
import { SGD } from './sgd.js';

describe('SGD', () => {
  it('plain step is p -= lr·g', () => {
    const p = new Parameter(tensor([1, 2]));
    const opt = new SGD([p], { lr: 0.1 });
    p.grad = tensor([0.5, -1]);
    opt.step();
    expect(Array.from(p.data.data)).toEqual([Math.fround(1 - 0.1 * 0.5), Math.fround(2 + 0.1)]);
  });

  it('nesterov with weight decay matches the recurrence computed by hand (two steps)', () => {
    const lr = 0.1,
      mom = 0.9,
      wd = 0.01;
    const p = new Parameter(tensor([1, -2]));
    const opt = new SGD([p], { lr, momentum: mom, nesterov: true, weightDecay: wd });
    const grads = [
      [0.5, 0.25],
      [-0.3, 0.7],
    ];
    let w = [1, -2];
    let buf: number[] | null = null;
    for (const g of grads) {
      p.grad = tensor(g);
      opt.step();
      const d = g.map((gi, i) => gi + wd * w[i]!);
      buf = buf === null ? d : buf.map((b, i) => mom * b + d[i]!); // first buffer = grad
      const upd = d.map((di, i) => di + mom * buf![i]!);
      w = w.map((wi, i) => wi - lr * upd[i]!);
      for (const [i, v] of Array.from(p.data.data).entries()) expect(v).toBeCloseTo(w[i]!, 6);
    }
  });

  // Expected: scripts/torch-optim-reference.py (torch 1.13; same float32 grads, so exact):
  //   torch.optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)
  //   torch.optim.SGD([p], lr=0.05, momentum=0.8, dampening=0.3)
  it('matches torch for 3 steps (nesterov+weight decay, dampening)', () => {
    const p1 = param();
    const r1 = runSteps(new SGD([p1], { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }), p1, 3);
    expect(r1).toEqual([0.8837536573410034, -7.170851707458496, 0.03735065832734108, 0.8983567357063293]);
    const p2 = param();
    const r2 = runSteps(new SGD([p2], { lr: 0.05, momentum: 0.8, dampening: 0.3 }), p2, 3);
    expect(r2).toEqual([1.2515122890472412, -2.7602784633636475, 1.544928789138794, 0.4521265923976898]);
  });

  it('skips parameters without a gradient and validates options', () => {
    const p = param();
    new SGD([p], { lr: 0.1 }).step();
    expect(Array.from(p.data.data)).toEqual([1.5, -2, 3, 0.25]);
    expect(() => new SGD([p], { lr: -1 })).toThrow(/lr must be a non-negative number, received -1/);
    expect(() => new SGD([p], { lr: 0.1, nesterov: true })).toThrow(/nesterov needs momentum > 0/);
    expect(() => new SGD([], { lr: 0.1 })).toThrow(/empty parameter list/);
  });

  it('param groups take their own lr; stateDict/loadStateDict continue identically', () => {
    const a = param([1, 2, 3, 4]);
    const b = param([5, 6, 7, 8]);
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.5]);
    runSteps(opt, a, 2);
    const sd = opt.stateDict();
    expect(sd.paramGroups.map((g) => g.params)).toEqual([[0], [1]]);
    expect(Object.keys(sd.state)).toEqual(['0']);
    const a2 = new Parameter(a.data.clone());
    const opt2 = new SGD([{ params: [a2] }, { params: [param([5, 6, 7, 8])] }], { lr: 0.1, momentum: 0.9 });
    opt2.loadStateDict(sd);
    expect(opt2.paramGroups[1]!.lr).toBe(0.5);
    expect(runSteps(opt2, a2, 2)).toEqual(runSteps(opt, a, 2));
  });

  it('fits the textbook linear regression: X=[1..5], y=[1,3,2,3,5], lr 0.01, 1000 steps → m≈0.8016, b≈0.3944', () => {
    const xs = [1, 2, 3, 4, 5];
    const ys = [1, 3, 2, 3, 5];
    const model = new Linear(1, 1);
    model.weight.data = tensor([[0]]);
    model.bias!.data = tensor([0]);
    const opt = new SGD(model.parameters(), { lr: 0.01 });
    const lossFn = new MSELoss();
    const X = tensor(xs.map((v) => [v]));
    const Y = tensor(ys.map((v) => [v]));
    for (let i = 0; i < 1000; i++) {
      opt.zeroGrad();
      lossFn.forward(model.forward(X), Y).backward();
      opt.step();
    }
    // The same full-batch gradient descent in float64: dL/dm = 2/n Σ r·x, dL/db = 2/n Σ r, r = m·x + b − y.
    let m = 0;
    let b = 0;
    for (let i = 0; i < 1000; i++) {
      const r = xs.map((x, j) => m * x + b - ys[j]!);
      const dm = (2 / 5) * r.reduce((a, ri, j) => a + ri * xs[j]!, 0);
      const db = (2 / 5) * r.reduce((a, ri) => a + ri, 0);
      m -= 0.01 * dm;
      b -= 0.01 * db;
    }
    expect(m).toBeCloseTo(0.8016, 4);
    expect(b).toBeCloseTo(0.3944, 4);
    expect(model.weight.data.item()).toBeCloseTo(m, 3);
    expect(model.bias!.data.item()).toBeCloseTo(b, 3);
  });
});
