import { Variable } from '@tsdl/autograd';
import { tensor } from '@tsdl/tensor';
import { describe, it } from 'vitest';
import { L1Loss } from './l1-loss.js';
import { expectClose } from './test-utils/close.js';

describe('L1Loss', () => {
  it('reduces |x − t| and has gradient sign(x − t)/n', () => {
    const t = tensor([1.5, 2, 1]);
    const x = new Variable(tensor([1, 2.5, 3]), true); // |d| = [0.5, 0.5, 2]
    const loss = new L1Loss().forward(x, t);
    expectClose(loss, 1);
    expectClose(new L1Loss({ reduction: 'sum' }).forward(x, t), 3);
    expectClose(new L1Loss({ reduction: 'none' }).forward(x, t), [0.5, 0.5, 2]);
    loss.backward();
    expectClose(x.grad!, [-1 / 3, 1 / 3, 1 / 3]);
  });
});
