import { describe, expect, it } from 'vitest';
import { linspace, tensor } from './creation.js';
import { erfNumber } from './erf.js';
import { gelu, geluGrad } from './gelu.js';
import { Generator, randn } from './random.js';
import { transpose } from './view.js';

// The formulas as torch writes them (aten/src/ATen/native/cpu/Activation.cpp), term by term.
const C = Math.sqrt(2 / Math.PI);
const naive = {
  none: (x: number) => 0.5 * x * (1 + erfNumber(x / Math.SQRT2)),
  tanh: (x: number) => 0.5 * x * (1 + Math.tanh(C * (x + 0.044715 * x ** 3))),
  dNone: (x: number) =>
    0.5 * (1 + erfNumber(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI),
  dTanh: (x: number) => {
    const t = Math.tanh(C * (x + 0.044715 * x ** 3));
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * C * (1 + 3 * 0.044715 * x * x);
  },
};

const xs = randn([200], { dtype: 'float64', generator: new Generator(4) }).mul(3);
const rel = (a: number, e: number) => Math.abs(a - e) / Math.abs(e);
const close = (a: number, e: number, tol: number) => Math.abs(a - e) <= tol * (1 + Math.abs(e));

describe('gelu', () => {
  for (const mode of ['none', 'tanh'] as const) {
    it(`matches torch's formula (approximate '${mode}') on float64 and keeps the dtype`, () => {
      const y = gelu(xs, mode).toTypedArray();
      const x = xs.toTypedArray();
      for (let i = 0; i < x.length; i++)
        expect(close(y[i]!, naive[mode](x[i]!), 1e-15), `x=${x[i]}`).toBe(true);
      // float32 in: computed in float64 and rounded once.
      const x32 = xs.to('float32');
      const y32 = gelu(x32, mode);
      expect(y32.dtype).toBe('float32');
      expect(Array.from(y32.toTypedArray())).toEqual(
        Array.from(gelu(x32.to('float64'), mode).to('float32').toTypedArray()),
      );
    });

    it(`has the analytic gradient of approximate '${mode}' (torch's formula and finite differences)`, () => {
      const dy = randn([200], { dtype: 'float64', generator: new Generator(5) });
      const g = geluGrad(dy, xs, mode).toTypedArray();
      const x = xs.toTypedArray();
      const d = dy.toTypedArray();
      const slope = mode === 'none' ? naive.dNone : naive.dTanh;
      const h = 1e-6;
      for (let i = 0; i < x.length; i++) {
        expect(close(g[i]!, d[i]! * slope(x[i]!), 1e-14), `x=${x[i]}`).toBe(true);
        const fd = (naive[mode](x[i]! + h) - naive[mode](x[i]! - h)) / (2 * h);
        expect(close(g[i]!, d[i]! * fd, 1e-7), `x=${x[i]} vs finite differences`).toBe(true);
      }
    });
  }

  it('keeps full relative accuracy for large negative x, where 1 + erf(x/√2) cancels', () => {
    // x·Φ(x) from mpmath 1.2.1 at 40 digits (`x * mpmath.ncdf(x)`), rounded to the nearest double.
    for (const [x, exact] of [
      [-8, -4.976768459417427e-15],
      [-12, -2.1317785344932147e-32],
      [-20, -5.507248237212468e-88],
      [-37, -2.1184613523340935e-298],
    ] as const) {
      expect(rel(naive.none(x), exact)).toBeGreaterThan(1e-2); // the textbook form loses it (or all)
      // Φ's relative condition number is ~x²: rounding x/√2 alone costs x²·1.1e-16.
      const got = gelu(tensor([x], { dtype: 'float64' }), 'none').item();
      expect(rel(got, exact), `gelu(${x})`).toBeLessThan(4e-16 * x * x);
    }
    // Far out both forms give 0 (-0) and x, and their slopes 0 and 1.
    const far = tensor([-60, 60], { dtype: 'float64' });
    for (const mode of ['none', 'tanh'] as const) {
      expect(Array.from(gelu(far, mode).toTypedArray())).toEqual([-0, 60]);
      expect(Array.from(geluGrad(tensor([1, 1], { dtype: 'float64' }), far, mode).toTypedArray())).toEqual([
        0, 1,
      ]);
    }
  });

  it('reads strided views, defaults to the exact form and checks its arguments', () => {
    const x = linspace(-3, 3, 12, { dtype: 'float64' }).reshape([3, 4]);
    const t = transpose(x, 0, 1);
    expect(Array.from(gelu(t).toTypedArray())).toEqual(
      Array.from(gelu(t.contiguous(), 'none').toTypedArray()),
    );
    expect(() => gelu(x, 'fast' as never)).toThrow(
      /gelu: approximate must be 'none' or 'tanh', received "fast"/,
    );
    expect(() => geluGrad(x, t)).toThrow(/geluGrad: dy must have the shape of x \[4,3\], received \[3,4\]/);
  });
});
