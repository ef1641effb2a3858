import { MinMaxScaler, StandardScaler } from '@tsdl/data';
import { describe, expect, it } from 'vitest';
import { chronologicalSplit } from './split.js';
import { affineOf, fitScaler, makeWindows, type Target } from './windows.js';

/** A positive random walk, seeded (mulberry32). */
function walk(n: number, seed = 1): Float64Array {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const v = new Float64Array(n);
  v[0] = 100;
  for (let i = 1; i < n; i++) v[i] = v[i - 1]! * Math.exp((rnd() - 0.5) * 0.1);
  return v;
}

describe('makeWindows', () => {
  it('builds the price window p[t-w..t-1] → p[t] and the log-return window for target step t', () => {
    const v = walk(40);
    const w = 5;
    const p = makeWindows(v, w, 'price', 0, 40);
    expect(p.count).toBe(35);
    expect(p.t[0]).toBe(5);
    for (let k = 0; k < p.count; k++) {
      const t = p.t[k]!;
      expect(Array.from(p.x.subarray(k * 5, k * 5 + 5))).toEqual(Array.from(v.subarray(t - 5, t)));
      expect(p.y[k]).toBe(v[t]);
      expect(p.last[k]).toBe(v[t - 1]);
    }
    const r = makeWindows(v, w, 'return', 10, 20);
    expect(r.steps).toBe(4);
    expect(Array.from(r.t)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    for (let k = 0; k < r.count; k++) {
      const t = r.t[k]!;
      for (let j = 0; j < 4; j++)
        expect(r.x[k * 4 + j]).toBeCloseTo(Math.log(v[t - 4 + j]! / v[t - 5 + j]!), 12);
      expect(r.y[k]).toBeCloseTo(Math.log(v[t]! / v[t - 1]!), 12);
    }
  });

  for (const target of ['price', 'return'] as Target[]) {
    it(`has no look-ahead (${target}): perturbing values from step k on leaves every window with target ≤ k unchanged`, () => {
      const v = walk(200, 7);
      const k = 120;
      const u = Float64Array.from(v, (x, i) => (i >= k ? x * (1.5 + Math.sin(i)) : x));
      const a = makeWindows(v, 6, target, 0, 200);
      const b = makeWindows(u, 6, target, 0, 200);
      let checked = 0;
      for (let s = 0; s < a.count; s++) {
        const t = a.t[s]!;
        const xa = Array.from(a.x.subarray(s * a.steps, (s + 1) * a.steps));
        const xb = Array.from(b.x.subarray(s * b.steps, (s + 1) * b.steps));
        if (t <= k) {
          expect(xb).toEqual(xa); // inputs of earlier windows never see the future
          checked++;
        }
        if (t < k) expect(b.y[s]).toBe(a.y[s]);
        if (t === k) expect(b.y[s]).not.toBe(a.y[s]); // the perturbation is real
        if (t > k + 6) expect(xb).not.toEqual(xa);
      }
      expect(checked).toBe(k - 6 + 1);
    });
  }

  it('rejects a window too short for the target', () => {
    expect(() => makeWindows(walk(10), 1, 'return', 0, 10)).toThrow(/window must be an integer ≥ 2/);
  });
});

describe('fitScaler', () => {
  for (const target of ['price', 'return'] as Target[]) {
    it(`is fitted on the training part only (${target}): changing validation/test values does not change it`, () => {
      const v = walk(300, 3);
      const split = chronologicalSplit(v.length);
      const a = fitScaler(v, split, target);
      const u = Float64Array.from(v, (x, i) => (i >= split.trainEnd ? x * 10 + i : x));
      expect(fitScaler(u, split, target)).toEqual(a);
      // …while a change inside the training part does move it.
      const w = Float64Array.from(v, (x, i) => (i === split.trainEnd - 2 ? x * 3 : x));
      expect(fitScaler(w, split, target).affine).not.toEqual(a.affine);
    });
  }

  it('folds MinMaxScaler and StandardScaler into (v - shift) / scale exactly', () => {
    const col = [[3], [8], [-2], [5.5]];
    for (const s of [
      new MinMaxScaler().fit(col),
      new MinMaxScaler({ featureRange: [-1, 1] }).fit(col),
      new StandardScaler().fit(col),
    ]) {
      const { shift, scale } = affineOf(s.toJSON());
      const z = s.transform([[4.25], [-7]]);
      expect((4.25 - shift) / scale).toBeCloseTo(z[0]![0]!, 12);
      expect((-7 - shift) / scale).toBeCloseTo(z[1]![0]!, 12);
    }
  });
});
