import { describe, expect, it } from 'vitest';
import { arange, gather, indexAdd, indexSelect, randn, scatterAdd, sum, tensor, zeros } from './index.js';

const i32 = (v: number[] | number[][]) => tensor(v, { dtype: 'int32' });

describe('indexSelect (ONNX Gather)', () => {
  const x = arange(12).reshape([3, 4]);
  it('picks slices with 1-d, n-d and negative indices', () => {
    expect(indexSelect(x, 0, [2, 0]).toArray()).toEqual([
      [8, 9, 10, 11],
      [0, 1, 2, 3],
    ]);
    expect(indexSelect(x, 1, i32([-1, 1, 1])).toArray()).toEqual([
      [3, 1, 1],
      [7, 5, 5],
      [11, 9, 9],
    ]);
    const nd = indexSelect(
      x,
      0,
      i32([
        [0, 1],
        [2, 2],
      ]),
    );
    expect(nd.shape).toEqual([2, 2, 4]);
    expect(nd.toArray()).toEqual([
      [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
      ],
      [
        [8, 9, 10, 11],
        [8, 9, 10, 11],
      ],
    ]);
    expect(indexSelect(x, 1, tensor(2, { dtype: 'int32' })).toArray()).toEqual([2, 6, 10]); // 0-d index drops the axis
    expect(indexSelect(x.T, 0, [1]).toArray()).toEqual([[1, 5, 9]]);
    expect(x.indexSelect(0, [1]).shape).toEqual([1, 4]);
  });
  it('rejects out-of-range and non-integer indices clearly', () => {
    expect(() => indexSelect(x, 0, [3])).toThrow(
      /indexSelect: indices value 3 is out of range for axis 0 of size 3 \(valid: -3\.\.2\)/,
    );
    expect(() => indexSelect(x, 1, [-5])).toThrow(/out of range/);
    expect(() => indexSelect(x, 0, tensor([0.5]))).toThrow(/indexSelect: indices must hold integers/);
    expect(() => indexSelect(x, 2, [0])).toThrow(/indexSelect: axis 2 is out of range/);
  });
});

describe('indexAdd (backward of indexSelect)', () => {
  it('accumulates repeated indices and leaves x untouched', () => {
    const x = zeros([3, 2]);
    const src = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const r = indexAdd(x, 0, [2, 0, 2], src);
    expect(r.toArray()).toEqual([
      [3, 4],
      [0, 0],
      [6, 8],
    ]);
    expect(x.toArray()).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
  });
  it('is the adjoint of indexSelect: <indexSelect(x), g> = <x, indexAdd(0, g)>', () => {
    const x = randn([4, 5, 3], { dtype: 'float64' });
    const idx = i32([
      [1, -1],
      [1, 0],
      [3, 3],
    ]);
    const y = indexSelect(x, 1, idx); // [4,3,2,3]
    const g = randn(y.shape, { dtype: 'float64' });
    const back = indexAdd(zeros(x.shape, { dtype: 'float64' }), 1, idx, g);
    expect(sum(y.mul(g)).item()).toBeCloseTo(sum(x.mul(back)).item(), 10);
  });
  it('checks source shape', () => {
    expect(() => indexAdd(zeros([3, 2]), 0, [0], zeros([2, 2]))).toThrow(
      /indexAdd: source must have shape \[1,2\]/,
    );
  });
});

describe('gather / scatterAdd', () => {
  it('matches torch.gather', () => {
    const x = arange(6).reshape([2, 3]);
    expect(gather(x, 1, i32([[0], [2]])).toArray()).toEqual([[0], [5]]);
    expect(gather(x, 0, i32([[1, 0, 1]])).toArray()).toEqual([[3, 1, 5]]);
    expect(gather(x.T, 1, i32([[1], [0], [1]])).toArray()).toEqual([[3], [1], [5]]);
    expect(
      x
        .gather(
          1,
          i32([
            [2, 2],
            [0, 1],
          ]),
        )
        .toArray(),
    ).toEqual([
      [2, 2],
      [3, 4],
    ]);
  });
  it('scatterAdd accumulates and is the adjoint of gather', () => {
    const r = scatterAdd(
      zeros([2, 3]),
      1,
      i32([
        [0, 0],
        [2, 1],
      ]),
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(r.toArray()).toEqual([
      [3, 0, 0],
      [0, 4, 3],
    ]);
    const x = randn([3, 4], { dtype: 'float64' });
    const idx = i32([
      [3, 0, 0],
      [1, 1, 2],
    ]);
    const y = gather(x, 1, idx);
    const g = randn(y.shape, { dtype: 'float64' });
    const back = scatterAdd(zeros(x.shape, { dtype: 'float64' }), 1, idx, g);
    expect(sum(y.mul(g)).item()).toBeCloseTo(sum(x.mul(back)).item(), 10);
  });
  it('rejects mismatched ranks and out-of-range indices', () => {
    const x = arange(6).reshape([2, 3]);
    expect(() => gather(x, 1, i32([0, 1]))).toThrow(/gather: index must have the same rank as x/);
    expect(() => gather(x, 1, i32([[3]]))).toThrow(
      /gather: index value 3 is out of range for axis 1 of size 3/,
    );
    expect(() => gather(x, 1, i32([[0], [0], [0]]))).toThrow(
      /gather: index \[3,1\] is larger than x \[2,3\] at dim 0/,
    );
    expect(() => scatterAdd(zeros([2, 3]), 0, i32([[0, 0]]), zeros([1, 1]))).toThrow(
      /scatterAdd: index \[1,2\] is larger than src \[1,1\]/,
    );
  });
});
