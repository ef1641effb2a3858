import { describe, expect, it } from 'vitest';
import { errorsOf, rollingForecast } from './evaluate.js';

describe('evaluation helpers', () => {
  it('errorsOf gives MAE, RMSE and MAPE (a fraction) in the series units', () => {
    const e = errorsOf([100, 200, 400], [110, 190, 400]);
    expect(e.mae).toBeCloseTo(20 / 3, 12);
    expect(e.rmse).toBeCloseTo(Math.sqrt(200 / 3), 12);
    expect(e.mape).toBeCloseTo((0.1 + 0.05) / 3, 12);
  });

  it('rollingForecast feeds predictions back and reads nothing from start on', () => {
    const v = Float64Array.from({ length: 30 }, (_, i) => 10 + i);
    const mean = (w: Float64Array) => w.reduce((a, b) => a + b, 0) / w.length;
    const a = rollingForecast(v, 20, 4, 3, mean);
    // Window [27, 28, 29] → 28; then [28, 29, 28] → 28.333…; then [29, 28, 28.333] …
    const h = [27, 28, 29];
    const expected: number[] = [];
    for (let k = 0; k < 4; k++) {
      const p = (h[h.length - 1]! + h[h.length - 2]! + h[h.length - 3]!) / 3;
      expected.push(p);
      h.push(p);
    }
    expect(Array.from(a)).toEqual(expected);
    const u = Float64Array.from(v, (x, i) => (i >= 20 ? -999 : x));
    expect(Array.from(rollingForecast(u, 20, 4, 3, mean))).toEqual(Array.from(a));
    expect(() => rollingForecast(v, 2, 4, 3, mean)).toThrow(/fewer than window 3/);
  });
});
