import { Variable } from '@tsdl/autograd';
import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { HuberLoss } from './huber-loss.js';
import { expectClose } from './test-utils/close.js';

describe('HuberLoss', () => {
  const t = tensor([0, 0, 0, 0]);
  it('is ½d² inside delta and delta(|d| − ½delta) outside', () => {
    const x = tensor([0.5, -0.5, 2, -3]);
    expectClose(new HuberLoss({ reduction: 'none' }).forward(x, t), [0.125, 0.125, 1.5, 2.5]);
    expectClose(new HuberLoss().forward(x, t), 4.25 / 4);
    expectClose(new HuberLoss({ delta: 2.5, reduction: 'none' }).forward(x, t), [
      0.125,
      0.125,
      2,
      2.5 * (3 - 1.25),
    ]);
    expectClose(new HuberLoss({ reduction: 'sum' }).forward(x, t), 4.25);
  });

  it('has gradient d inside and delta·sign(d) outside (as PyTorch)', () => {
    const x = new Variable(tensor([0.5, -0.5, 2, -3]), true);
    new HuberLoss({ delta: 1.5, reduction: 'sum' }).forward(x, t).backward();
    expectClose(x.grad!, [0.5, -0.5, 1.5, -1.5]);
    expect(() => new HuberLoss({ delta: 0 })).toThrow(/delta must be positive, received 0/);
  });
});
