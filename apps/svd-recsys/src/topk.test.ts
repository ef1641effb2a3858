import { variable } from '@tsdl/autograd';
import { Tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { topkIndices, topkValues } from './topk.js';

describe('topk ops', () => {
  it('matches a full sort, largest first, ties to the lower index', () => {
    const x = new Tensor(Float32Array.of(0.5, 2, -1, 2, 7, 0, 3, 3, 3, 1), [2, 5]);
    expect(Array.from(topkIndices(x, 3).data.toTypedArray())).toEqual([4, 1, 3, 1, 2, 3]);
    expect(Array.from(topkValues(x, 3).data.toTypedArray())).toEqual([7, 2, 2, 3, 3, 3]);
    expect(topkIndices(x, 3).data.dtype).toBe('int32');
    expect(topkValues(x, 3).shape).toEqual([2, 3]);
  });

  it('sends the gradient of the values to the selected entries', () => {
    const x = variable(new Tensor(Float32Array.of(1, 5, 3, 4), [1, 4]), { requiresGrad: true });
    topkValues(x, 2).sum().backward();
    expect(Array.from(x.grad!.toTypedArray())).toEqual([0, 1, 0, 1]);
  });

  it('rejects k outside the last axis and has no gradient for the indices', () => {
    const x = new Tensor(Float32Array.of(1, 2), [1, 2]);
    expect(() => topkValues(x, 3)).toThrow(/k must be an integer in \[1, 2\].*received 3/);
    const v = variable(x, { requiresGrad: true });
    expect(() => topkIndices(v, 1).sum().backward()).toThrow(/not differentiable/);
  });
});
