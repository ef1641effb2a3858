import { Variable } from '@tsdl/autograd';
import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { BCELoss } from './bce-loss.js';
import { expectClose } from './test-utils/close.js';

describe('BCELoss', () => {
  it('is −(t·log p + (1−t)·log(1−p)), with each log clamped at −100', () => {
    const p = tensor([0.9, 0.2, 0.7, 0, 1]);
    const t = tensor([1, 0, 0.5, 1, 1]);
    const expected = [-Math.log(0.9), -Math.log(0.8), -(0.5 * Math.log(0.7) + 0.5 * Math.log(0.3)), 100, 0];
    expectClose(new BCELoss({ reduction: 'none' }).forward(p, t), expected);
    expectClose(new BCELoss().forward(p, t), expected.reduce((a, b) => a + b) / 5, 4);
    expectClose(
      new BCELoss({ weight: tensor([2, 1, 1, 0, 1]), reduction: 'sum' }).forward(p, t),
      2 * expected[0]! + expected[1]! + expected[2]!,
      5,
    );
  });

  it('has gradient (p − t) / (p(1 − p)) / n', () => {
    const p = new Variable(tensor([0.9, 0.2]), true);
    new BCELoss().forward(p, tensor([1, 0])).backward();
    expectClose(p.grad!, [(0.9 - 1) / (0.9 * 0.1) / 2, 0.2 / (0.2 * 0.8) / 2]);
  });

  it('rejects values outside [0, 1]', () => {
    expect(() => new BCELoss().forward(tensor([0.5, 1.5]), tensor([1, 0]))).toThrow(
      /probabilities in \[0, 1\], found 1.5 at flat index 1/,
    );
  });
});
