import { describe, expect, it } from 'vitest';
import { arange, pad, tensor } from './index.js';

describe('pad', () => {
  const x = arange(6).reshape([2, 3]);
  it('pads the last dim first (F.pad order)', () => {
    expect(pad(x, [1, 2]).toArray()).toEqual([
      [0, 0, 1, 2, 0, 0],
      [0, 3, 4, 5, 0, 0],
    ]);
    expect(pad(x, [0, 0, 1, 0], 9).toArray()).toEqual([
      [9, 9, 9],
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(pad(x, [1, 1, 1, 1]).shape).toEqual([4, 5]);
    expect(x.pad([1, 0]).dtype).toBe('int32');
  });
  it('crops with negative pads (F.pad(arange(6).view(2,3), (-1,2,1,0)))', () => {
    expect(pad(x.to('float32'), [-1, 2, 1, 0]).toArray()).toEqual([
      [0, 0, 0, 0],
      [1, 2, 0, 0],
      [4, 5, 0, 0],
    ]);
    expect(pad(x, [0, -3]).shape).toEqual([2, 0]);
  });
  it('works on views and higher ranks', () => {
    const y = arange(24).reshape([2, 3, 4]).permute([2, 0, 1]); // [4,2,3]
    const p = pad(y, [1, 0, 0, 1, 2, 0]);
    expect(p.shape).toEqual([6, 3, 4]);
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 3; j++)
        for (let k = 0; k < 4; k++) {
          const inside = i >= 2 && j < 2 && k >= 1;
          expect(p.get(i, j, k)).toBe(inside ? y.get(i - 2, j, k - 1) : 0);
        }
  });
  it('reads a contiguous view at an offset in place', () => {
    const rows = arange(12).reshape([4, 3]).slice(0, 1, 3); // rows 1..2: contiguous, offset 3
    expect(pad(rows, [1, 0, 0, 1]).toArray()).toEqual([
      [0, 3, 4, 5],
      [0, 6, 7, 8],
      [0, 0, 0, 0],
    ]);
  });
  it('rejects bad pads naming the op', () => {
    expect(() => pad(x, [1])).toThrow(/pad: pads must hold an even number/);
    expect(() => pad(x, [1, 1, 1, 1, 1, 1])).toThrow(/pad: pads/);
    expect(() => pad(x, [-4, 0])).toThrow(/pad: .*negative size -1 for dim 1/);
    expect(() => pad(tensor([1]), [0.5, 0])).toThrow(/pad: pads must be integers/);
  });
});
