import { describe, expect, it } from 'vitest';
import { LinearAR, persistence } from './baselines.js';
import { makeWindows } from './windows.js';

describe('baselines', () => {
  it('LinearAR recovers the coefficients and intercept of a noiseless AR(3) series', () => {
    // y[t] = 0.5 y[t-1] - 0.2 y[t-2] + 0.1 y[t-3] + 3, started from non-equilibrium values.
    const v = new Float64Array(80);
    v[0] = 1;
    v[1] = 9;
    v[2] = -4;
    for (let t = 3; t < v.length; t++)
      v[t] = 0.5 * v[t - 1]! - 0.2 * v[t - 2]! + 0.1 * v[t - 3]! + 3 + 0.3 * Math.sin(t * t);
    // Fit on windows of 3 (feature order: oldest first), then check β on the exact relation.
    const w = makeWindows(v, 3, 'price', 0, v.length);
    const ar = LinearAR.fit(w);
    const resid = Array.from(w.y, (y, i) => y - ar.predictOne(w.x.subarray(i * 3, i * 3 + 3)));
    // The sin term is the only thing least squares cannot explain: β must be near the truth.
    expect(ar.coef[0]).toBeCloseTo(0.1, 1);
    expect(ar.coef[1]).toBeCloseTo(-0.2, 1);
    expect(ar.coef[2]).toBeCloseTo(0.5, 1);
    expect(ar.coef[3]).toBeCloseTo(3, 0);
    // …and its residuals are orthogonal to the intercept column (a least-squares property).
    expect(Math.abs(resid.reduce((a, b) => a + b, 0))).toBeLessThan(1e-8);
  });

  it('persistence predicts the last value of each window', () => {
    const v = Float64Array.from({ length: 20 }, (_, i) => i * i + 1);
    const w = makeWindows(v, 4, 'return', 10, 20);
    expect(Array.from(persistence(w))).toEqual(Array.from(w.t, (t) => v[t - 1]!));
  });
});
