import { Tensor, tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { Subset, TensorDataset } from './dataset.js';

describe('TensorDataset', () => {
  const x = tensor([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const y = tensor([7, 8, 9], { dtype: 'int32' });
  it('indexes rows of every tensor along the first dimension', () => {
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(3);
    const [xi, yi] = ds.get(1);
    expect(xi.toArray()).toEqual([3, 4]);
    expect(yi.shape).toEqual([]);
    expect(yi.item()).toBe(8);
  });
  it('gathers batches into fresh tensors in index order', () => {
    const [bx, by] = new TensorDataset(x, y).getBatch(Int32Array.from([2, 0]));
    expect(bx.toArray()).toEqual([
      [5, 6],
      [1, 2],
    ]);
    expect(by.dtype).toBe('int32');
    expect(by.toArray()).toEqual([9, 7]);
  });
  it('reads non-contiguous inputs in logical order', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]).T; // [[1,4],[2,5],[3,6]]
    const ds = new TensorDataset(t);
    expect(ds.get(2)[0].toArray()).toEqual([3, 6]);
    expect(ds.getBatch(Int32Array.from([1]))[0].toArray()).toEqual([[2, 5]]);
  });
  it('rejects mismatched first dimensions, no tensors and bad indices', () => {
    expect(() => new TensorDataset(x, tensor([1, 2]))).toThrow(/size mismatch.*\[3,2\].*\[2\]/);
    expect(() => new TensorDataset()).toThrow(/at least one tensor/);
    expect(() => new TensorDataset(x).get(3)).toThrow(/index must be an integer in \[0, 3\), received 3/);
    expect(() => new TensorDataset(new Tensor(Float32Array.of(1), []))).toThrow(/0-d/);
  });
});

describe('Subset', () => {
  it('maps indices to the parent and keeps its batch fast path', () => {
    const ds = new TensorDataset(tensor([10, 11, 12, 13]));
    const sub = new Subset(ds, [3, 1]);
    expect(sub.length).toBe(2);
    expect(sub.get(0)[0].item()).toBe(13);
    expect(sub.getBatch).toBeDefined();
    expect(sub.getBatch!(Int32Array.from([1, 0]))[0].toArray()).toEqual([11, 13]);
    expect(() => new Subset(ds, [4])).toThrow(/\[0, 4\), received 4/);
  });
});
