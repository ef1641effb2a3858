import { describe, expect, it } from 'vitest';
import { chronologicalSplit, partRange } from './split.js';
import { makeWindows } from './windows.js';

describe('chronologicalSplit', () => {
  it('holds out the last 20% as test and the 12% before it as validation, in order', () => {
    const s = chronologicalSplit(618);
    expect(s.n - s.valEnd).toBe(Math.round(618 * 0.2));
    expect(s.valEnd - s.trainEnd).toBe(Math.round(618 * 0.12));
    const [a0, a1] = partRange(s, 'train');
    const [b0, b1] = partRange(s, 'val');
    const [c0, c1] = partRange(s, 'test');
    expect([a0, a1 === b0, b1 === c0, c1]).toEqual([0, true, true, 618]);
  });

  it('gives windows whose targets stay inside their own part, in time order, with none shared', () => {
    const v = Float64Array.from({ length: 250 }, (_, i) => 100 + i + Math.sin(i));
    const s = chronologicalSplit(v.length, { testFraction: 0.2, valFraction: 0.15 });
    const parts = (['train', 'val', 'test'] as const).map((p) => {
      const [from, to] = partRange(s, p);
      const w = makeWindows(v, 5, 'return', from, to);
      for (const t of w.t) expect(t >= from && t < to).toBe(true);
      for (let i = 1; i < w.count; i++) expect(w.t[i]).toBe(w.t[i - 1]! + 1);
      return w;
    });
    const [train, val, test] = parts;
    expect(train!.t[train!.count - 1]! < val!.t[0]!).toBe(true);
    expect(val!.t[val!.count - 1]! < test!.t[0]!).toBe(true);
    expect(train!.count + val!.count + test!.count).toBe(250 - 5);
  });

  it('rejects bad fractions and series too short to split', () => {
    expect(() => chronologicalSplit(100, { testFraction: 0.6, valFraction: 0.5 })).toThrow(/sum < 1/);
    expect(() => chronologicalSplit(3)).toThrow(/too short/);
  });
});
