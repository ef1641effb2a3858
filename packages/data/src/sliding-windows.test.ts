import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { slidingWindows } from './sliding-windows.js';

describe('slidingWindows', () => {
  it('makes windows with no look-ahead', () => {
    const series = [10, 11, 12, 13, 14, 15];
    const { x, y } = slidingWindows(series, 3, 2);
    // n = 6 - 3 - 2 + 1 = 2
    expect(x.shape).toEqual([2, 3]);
    expect(y.shape).toEqual([2, 2]);
    expect(x.toArray()).toEqual([
      [10, 11, 12],
      [11, 12, 13],
    ]);
    expect(y.toArray()).toEqual([
      [13, 14],
      [14, 15],
    ]);
    // Every target comes strictly after its window.
    const xa = x.toArray() as number[][];
    const ya = y.toArray() as number[][];
    xa.forEach((w, i) => {
      expect(Math.min(...ya[i]!)).toBeGreaterThan(Math.max(...w));
    });
  });
  it('defaults to horizon 1, keeps a tensor dtype and handles [time, features]', () => {
    const { x, y } = slidingWindows(tensor([1, 2, 3, 4], { dtype: 'float64' }), 2);
    expect(x.dtype).toBe('float64');
    expect(y.toArray()).toEqual([[3], [4]]);
    const m = slidingWindows(
      tensor([
        [1, 10],
        [2, 20],
        [3, 30],
      ]),
      2,
    );
    expect(m.x.shape).toEqual([1, 2, 2]);
    expect(m.x.toArray()).toEqual([
      [
        [1, 10],
        [2, 20],
      ],
    ]);
    expect(m.y.toArray()).toEqual([[[3, 30]]]);
  });
  it('rejects series that are too short and bad sizes', () => {
    expect(() => slidingWindows([1, 2, 3], 3)).toThrow(/length 3 is too short for window 3 \+ horizon 1/);
    expect(() => slidingWindows([1, 2, 3], 0)).toThrow(/window must be a positive integer/);
    expect(() => slidingWindows(tensor([[[1]]]), 1)).toThrow(/1-d \[time\] or 2-d/);
  });
});
