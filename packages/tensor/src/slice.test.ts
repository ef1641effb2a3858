import { describe, expect, it } from 'vitest';
import { arange, slice } from './index.js';

describe('slice', () => {
  const x = arange(10);
  const py = (start: number, end: number | undefined, step = 1): number[] => {
    // Python list slicing written out for positive steps.
    const n = 10;
    const c = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
    const out: number[] = [];
    for (let i = c(start); i < (end === undefined ? n : c(end)); i += step) out.push(i);
    return out;
  };
  it('follows Python semantics for negative and out-of-range bounds', () => {
    for (const [s, e, st] of [
      [2, 5, 1],
      [-3, undefined, 1],
      [0, 100, 3],
      [-100, -2, 2],
      [7, 3, 1],
      [11, 20, 1],
      [1, -1, 4],
    ] as const) {
      expect(slice(x, 0, s, e, st).toArray()).toEqual(py(s, e, st));
    }
  });
  it('returns a view sharing storage', () => {
    const m = arange(12).reshape([3, 4]);
    const v = slice(m, 1, 1, 4, 2);
    expect(v.shape).toEqual([3, 2]);
    expect(v.data).toBe(m.data);
    expect(v.toArray()).toEqual([
      [1, 3],
      [5, 7],
      [9, 11],
    ]);
    const w = slice(v, 0, 1); // slice of a slice
    expect(w.toArray()).toEqual([
      [5, 7],
      [9, 11],
    ]);
    expect(w.offset).toBe(5);
    expect(m.slice(-1, 0, 1).toArray()).toEqual([[0], [4], [8]]);
    expect(slice(m.T, 0, 2, 3).toArray()).toEqual([[2, 6, 10]]);
  });
  it('gives empty slices and rejects bad arguments', () => {
    expect(slice(x, 0, 5, 5).shape).toEqual([0]);
    expect(() => slice(x, 0, 0, 5, 0)).toThrow(/slice: step must be a positive integer, received 0/);
    expect(() => slice(x, 0, 0, 5, -1)).toThrow(/slice: step/);
    expect(() => slice(x, 1, 0)).toThrow(/slice: axis 1 is out of range/);
    expect(() => slice(x, 0, 0.5)).toThrow(/slice: start must be an integer/);
  });
});
