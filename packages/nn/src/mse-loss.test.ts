import { Variable } from '@tsdl/autograd';
import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { MSELoss } from './mse-loss.js';
import { expectClose } from './test-utils/close.js';

describe('MSELoss', () => {
  const target = tensor([1.5, 2, 1]);
  it('reduces (x − t)² by mean, sum or none', () => {
    const x = tensor([1, 2, 3]); // d = [-0.5, 0, 2]
    expectClose(new MSELoss().forward(x, target), 4.25 / 3);
    expectClose(new MSELoss({ reduction: 'sum' }).forward(x, target), 4.25);
    expectClose(new MSELoss({ reduction: 'none' }).forward(x, target), [0.25, 0, 4]);
  });

  it('has gradient 2(x − t)/n', () => {
    const x = new Variable(tensor([1, 2, 3]), true);
    new MSELoss().forward(x, target).backward();
    expectClose(x.grad!, [(2 * -0.5) / 3, 0, (2 * 2) / 3]);
  });

  it('rejects mismatched shapes and bad reductions', () => {
    expect(() => new MSELoss().forward(tensor([1, 2]), tensor([[1, 2]]))).toThrow(
      /MSELoss: input shape \[2\] and target shape \[1,2\] differ/,
    );
    expect(() => new MSELoss({ reduction: 'avg' as 'mean' })).toThrow(
      /reduction must be 'mean', 'sum' or 'none', received 'avg'/,
    );
  });
});
