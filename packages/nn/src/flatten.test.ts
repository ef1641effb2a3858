import { Variable } from '@tsdl/autograd';
import { zeros } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { Flatten } from './flatten.js';

describe('Flatten', () => {
  it('keeps the batch dim by default and honours startDim/endDim', () => {
    expect(new Flatten().forward(zeros([2, 3, 4, 5])).shape).toEqual([2, 60]);
    expect(new Flatten(0).forward(zeros([2, 3, 4])).shape).toEqual([24]);
    expect(new Flatten(1, 2).forward(zeros([2, 3, 4, 5])).shape).toEqual([2, 12, 5]);
  });

  it('passes gradients back in the input shape', () => {
    const x = new Variable(zeros([2, 3, 4]), true);
    new Flatten().forward(x).sum().backward();
    expect(x.grad!.shape).toEqual([2, 3, 4]);
  });
});
