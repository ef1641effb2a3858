import { describe, expect, it } from 'vitest';
import { add, arange, div, eq, gt, mul, relu, sigmoid, sub, tensor, where } from './index.js';

describe('elementwise', () => {
  it('adds with broadcasting', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    const b = tensor([10, 20, 30]);
    expect(add(a, b).toArray()).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(add(tensor([[1], [2]]), b).toArray()).toEqual([[11, 21, 31], [12, 22, 32]]);
  });
  it('mixes scalars and promotes dtypes', () => {
    const i = arange(4);
    expect(i.dtype).toBe('int32');
    expect(mul(i, 2).dtype).toBe('int32');
    expect(mul(i, 0.5).dtype).toBe('float32');
    expect(div(i, 2).toArray()).toEqual([0, 0.5, 1, 1.5]);
    expect(sub(1, tensor([1, 2], { dtype: 'float64' })).dtype).toBe('float64');
  });
  it('works on transposed views', () => {
    const a = tensor([[1, 2], [3, 4]]);
    expect(add(a.transpose(0, 1), a).toArray()).toEqual([[2, 5], [5, 8]]);
  });
  it('rejects incompatible shapes naming the op', () => {
    expect(() => add(tensor([1, 2, 3]), tensor([1, 2]))).toThrow(/add: shapes \[3\] and \[2\] cannot be broadcast/);
  });
  it('comparisons give int32 masks and where selects', () => {
    const x = tensor([-1, 0, 2]);
    expect(gt(x, 0).toArray()).toEqual([0, 0, 1]);
    expect(eq(x, 0).dtype).toBe('int32');
    expect(where(gt(x, 0), x, tensor([[7], [8]])).toArray()).toEqual([[7, 7, 2], [8, 8, 2]]);
    expect(relu(x).toArray()).toEqual([0, 0, 2]);
    expect(sigmoid(tensor([-1000, 0, 1000])).toArray()).toEqual([0, 0.5, 1]);
  });
});
