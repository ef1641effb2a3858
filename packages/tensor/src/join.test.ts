import { describe, expect, it } from 'vitest';
import { arange, concat, ones, split, stack, tensor, zeros } from './index.js';

describe('concat / stack / split', () => {
  const a = arange(6).reshape([2, 3]);
  it('concatenates along any axis, including views', () => {
    expect(concat([a, a.add(10)], 0).toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [10, 11, 12],
      [13, 14, 15],
    ]);
    expect(concat([a, zeros([2, 1], { dtype: 'int32' })], -1).toArray()).toEqual([
      [0, 1, 2, 0],
      [3, 4, 5, 0],
    ]);
    expect(concat([a.T, a.T], 1).toArray()).toEqual([
      [0, 3, 0, 3],
      [1, 4, 1, 4],
      [2, 5, 2, 5],
    ]);
    expect(a.concat([a], 0).shape).toEqual([4, 3]);
    expect(concat([a, zeros([0, 3], { dtype: 'int32' })]).toArray()).toEqual(a.toArray());
  });
  it('promotes dtypes', () => {
    const c = concat([a, ones([1, 3], { dtype: 'float64' }).mul(0.5)]);
    expect(c.dtype).toBe('float64');
    expect(c.toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [0.5, 0.5, 0.5],
    ]);
  });
  it('names the mismatching input and dim', () => {
    expect(() => concat([a, zeros([2, 3]), zeros([3, 4])], 0)).toThrow(
      /concat: xs\[2\] has shape \[3,4\] but xs\[0\] has \[2,3\]: dim 1 differs/,
    );
    expect(() => concat([a, zeros([6])])).toThrow(/concat: xs\[1\] has rank 1/);
    expect(() => concat([])).toThrow(/concat: xs must be a non-empty array/);
  });
  it('stacks along a new axis', () => {
    expect(stack([a, a.neg()], 0).shape).toEqual([2, 2, 3]);
    const s = stack([tensor([1, 2]), tensor([3, 4])], 1);
    expect(s.toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(stack([tensor(1), tensor(2)]).toArray()).toEqual([1, 2]);
    expect(() => stack([a, a.T])).toThrow(/stack: all tensors must have the same shape: xs\[1\] has \[3,2\]/);
  });
  it('splits into views by chunk size or list of sizes', () => {
    const x = arange(10);
    expect(split(x, 4).map((t) => t.toArray())).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    const parts = split(a, [1, 2], 1);
    expect(parts.map((t) => t.toArray())).toEqual([
      [[0], [3]],
      [
        [1, 2],
        [4, 5],
      ],
    ]);
    expect(parts[1]!.data).toBe(a.data);
    expect(concat(split(a, 1, 0), 0).toArray()).toEqual(a.toArray());
    expect(() => split(a, [1, 1], 1)).toThrow(
      /split: sizes \[1,1\] sum to 2 but dim 1 of shape \[2,3\] has size 3/,
    );
    expect(() => split(a, 0)).toThrow(/split: sizes must be a positive integer/);
  });
});
