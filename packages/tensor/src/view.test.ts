import { describe, expect, it } from 'vitest';
import {
  arange,
  expand,
  flatten,
  permute,
  reshape,
  slice,
  squeeze,
  Tensor,
  tensor,
  transpose,
  unsqueeze,
  zeros,
} from './index.js';

describe('reshape', () => {
  const x = arange(12);
  it('infers one -1 and shares storage when contiguous', () => {
    const r = reshape(x, [3, -1]);
    expect(r.shape).toEqual([3, 4]);
    expect(r.data).toBe(x.data);
    expect(reshape(x, [-1]).shape).toEqual([12]);
    expect(reshape(x, [2, -1, 3]).shape).toEqual([2, 2, 3]);
    expect(x.view([4, 3]).get(1, 0)).toBe(3);
    expect(reshape(tensor(7), [1, 1]).shape).toEqual([1, 1]);
    expect(reshape(zeros([0, 3]), [3, 0]).shape).toEqual([3, 0]);
  });
  it('copies a non-contiguous view in row-major order', () => {
    const t = reshape(x, [3, 4]).T;
    const r = reshape(t, [12]);
    expect(r.toArray()).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
  });
  it('rejects bad shapes naming the op', () => {
    expect(() => reshape(x, [5, -1])).toThrow(/reshape: cannot infer -1 in \[5,-1\]/);
    expect(() => reshape(x, [-1, -1])).toThrow(/reshape: only one dimension may be -1/);
    expect(() => reshape(x, [5, 2])).toThrow(
      /reshape: shape \[5,2\] is invalid for a tensor of shape \[12\]/,
    );
    expect(() => reshape(x, [-2, -6])).toThrow(/reshape: shape must hold non-negative integers/);
  });
});

describe('permute / transpose', () => {
  const x = arange(24).reshape([2, 3, 4]);
  it('are views with permuted strides', () => {
    const p = permute(x, [2, 0, 1]);
    expect(p.shape).toEqual([4, 2, 3]);
    expect(p.data).toBe(x.data);
    expect(p.isContiguous()).toBe(false);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(p.get(k, i, j)).toBe(x.get(i, j, k));
    const t = transpose(x, 0, -1);
    expect(t.shape).toEqual([4, 3, 2]);
    expect(t.get(3, 2, 1)).toBe(x.get(1, 2, 3));
    expect(x.T.shape).toEqual([4, 3, 2]);
    expect(permute(permute(x, [2, 0, 1]), [1, 2, 0]).toArray()).toEqual(x.toArray());
    expect(permute(x, [0, 1, 2]).contiguous().data).toBe(x.data); // identity permutation needs no copy
  });
  it('rejects bad dims', () => {
    expect(() => permute(x, [0, 1])).toThrow(/permute: dims \[0,1\] must list all 3 dims/);
    expect(() => permute(x, [0, 1, 1])).toThrow(/permute: dims \[0,1,1\] contains a repeated dim/);
    expect(() => transpose(x, 0, 3)).toThrow(/transpose: dim1 3 is out of range/);
  });
});

describe('squeeze / unsqueeze', () => {
  const x = zeros([1, 3, 1, 2]);
  it('removes size-1 dims (all or listed; a listed non-1 dim is kept)', () => {
    expect(squeeze(x).shape).toEqual([3, 2]);
    expect(squeeze(x, 0).shape).toEqual([3, 1, 2]);
    expect(squeeze(x, [0, -2]).shape).toEqual([3, 2]);
    expect(squeeze(x, 1).shape).toEqual([1, 3, 1, 2]);
    expect(squeeze(tensor([5])).shape).toEqual([]);
  });
  it('inserts size-1 dims, also on views', () => {
    expect(unsqueeze(x, 0).shape).toEqual([1, 1, 3, 1, 2]);
    expect(unsqueeze(x, -1).shape).toEqual([1, 3, 1, 2, 1]);
    expect(unsqueeze(tensor(3), 0).toArray()).toEqual([3]);
    const t = arange(6).reshape([2, 3]).T; // [3,2]
    const u = unsqueeze(t, 1);
    expect(u.shape).toEqual([3, 1, 2]);
    expect(u.toArray()).toEqual([[[0, 3]], [[1, 4]], [[2, 5]]]);
    expect(() => unsqueeze(x, 5)).toThrow(/unsqueeze: axis 5 is out of range/);
  });
});

describe('expand / flatten', () => {
  it('expand broadcasts with stride 0 and keeps -1 dims', () => {
    const c = tensor([[1], [2]]);
    const e = expand(c, [3, 2, 4]);
    expect(e.shape).toEqual([3, 2, 4]);
    expect(e.strides[0]).toBe(0);
    expect(e.data).toBe(c.data);
    expect(e.get(2, 1, 3)).toBe(2);
    expect(expand(c, [-1, 5]).shape).toEqual([2, 5]);
    expect(expand(c, [2, 1]).toArray()).toEqual([[1], [2]]);
    expect(() => expand(c, [3, 4])).toThrow(/expand: shapes \[2,1\] and \[3,4\] cannot be broadcast/);
    expect(() => expand(c, [4])).toThrow(/expand: target \[4\] has fewer dims/);
    expect(() => expand(c, [-1, 2, 4])).toThrow(/expand: shape must hold non-negative integers/); // -1 is not allowed for new leading dims
  });
  it('flatten merges a dim range', () => {
    const x = arange(24).reshape([2, 3, 4]);
    expect(flatten(x).shape).toEqual([24]);
    expect(flatten(x, 1).shape).toEqual([2, 12]);
    expect(flatten(x, 0, 1).shape).toEqual([6, 4]);
    expect(x.flatten(-2, -1).data).toBe(x.data);
    expect(flatten(x.T, 1).toArray()).toEqual(x.T.contiguous().reshape([4, 6]).toArray());
    expect(flatten(tensor(5)).shape).toEqual([1]);
    expect(() => flatten(x, 2, 1)).toThrow(/flatten: startDim \(2\) must not come after endDim \(1\)/);
  });
});

describe('toTypedArray of strided views', () => {
  /** Element (row-major position i) of a view by its definition: offset + Σ index·stride. */
  const naive = (t: Tensor) => {
    const out: number[] = [];
    for (let i = 0; i < t.size; i++) {
      let p = t.offset;
      for (let d = t.ndim - 1, r = i; d >= 0; d--) {
        p += (r % t.shape[d]!) * t.strides[d]!;
        r = Math.floor(r / t.shape[d]!);
      }
      out.push(t.data[p]!);
    }
    return out;
  };
  it('matches the definition for permuted, stepped, expanded and offset views', () => {
    const base = arange(2 * 3 * 4 * 5).reshape([2, 3, 4, 5]);
    const views: Tensor[] = [
      permute(base, [3, 1, 0, 2]),
      slice(permute(base, [0, 2, 1, 3]), 3, 1, 5, 2), // last dim stepped: non-unit inner stride
      slice(slice(base, 1, 1, 3), 3, 1, 4), // unit inner stride, offset, gaps between rows
      expand(slice(base, 3, 2, 3), [2, 3, 4, 6]), // stride-0 last dim
      transpose(base.reshape([6, 20]), 0, 1),
      slice(base, 2, 4, 4), // empty
      slice(arange(3 * 2 * 40).reshape([3, 2, 40]), 1, 1, 2), // rows of 32+: block copies
      slice(arange(4 * 70).reshape([4, 70]), 1, 3, 67), // the same from an offset
      new Tensor(
        Float32Array.from({ length: 30 }, (_, i) => i * 0.5),
        [3, 4],
        [1, 7],
        2,
      ),
    ];
    for (const v of views) {
      const got = Array.from(v.toTypedArray());
      expect(got).toEqual(naive(v));
      expect(Array.from(v.contiguous().toTypedArray())).toEqual(got);
    }
  });
});
