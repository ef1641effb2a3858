import { Variable } from '@tsdl/autograd';
import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { NLLLoss } from './nll-loss.js';
import { expectClose } from './test-utils/close.js';

describe('NLLLoss', () => {
  const logp = tensor([
    [-1, -2, -3],
    [-0.5, -1.5, -2.5],
  ]);
  it('picks −input[i, target[i]], weighted mean divides by the summed weights', () => {
    const t = tensor([0, 2], { dtype: 'int32' });
    expectClose(new NLLLoss().forward(logp, t), (1 + 2.5) / 2);
    expectClose(new NLLLoss({ reduction: 'sum' }).forward(logp, t), 3.5);
    expectClose(new NLLLoss({ weight: tensor([1, 2, 3]) }).forward(logp, t), (1 * 1 + 3 * 2.5) / (1 + 3));
    expectClose(new NLLLoss({ weight: tensor([1, 2, 3]), reduction: 'none' }).forward(logp, t), [1, 7.5]);
  });

  it('skips ignoreIndex targets in the loss and in the mean', () => {
    expectClose(new NLLLoss().forward(logp, tensor([1, -100], { dtype: 'int32' })), 2);
    expectClose(
      new NLLLoss({ ignoreIndex: 0, reduction: 'none' }).forward(logp, tensor([0, 1], { dtype: 'int32' })),
      [0, 1.5],
    );
  });

  it('takes [N, C, d] input with [N, d] targets, and a single [C] sample', () => {
    // N=1, C=2, d=3: class scores per position.
    const x = tensor([
      [
        [-1, -2, -3],
        [-4, -5, -6],
      ],
    ]);
    const t = tensor([[0, 1, 1]], { dtype: 'int32' });
    expectClose(new NLLLoss({ reduction: 'none' }).forward(x, t), [1, 5, 6]);
    expect(new NLLLoss({ reduction: 'none' }).forward(x, t).shape).toEqual([1, 3]);
    expectClose(new NLLLoss().forward(tensor([-1, -2]), tensor(1, { dtype: 'int32' })), 2);
  });

  it('back-propagates −w/Σw at the target entries', () => {
    const x = new Variable(logp, true);
    new NLLLoss().forward(x, tensor([0, 2], { dtype: 'int32' })).backward();
    expectClose(x.grad!, [-0.5, 0, 0, 0, 0, -0.5]);
  });

  it('rejects bad targets naming the index', () => {
    expect(() => new NLLLoss().forward(logp, tensor([0, 3], { dtype: 'int32' }))).toThrow(
      /target 3 at flat index 1 is out of range for 3 classes/,
    );
    expect(() => new NLLLoss().forward(logp, tensor([0], { dtype: 'int32' }))).toThrow(
      /input \[2,3\] needs target shape \[2\], received \[1\]/,
    );
  });
});
