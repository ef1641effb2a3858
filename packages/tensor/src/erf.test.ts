import { describe, expect, it } from 'vitest';
import { arange, tensor } from './creation.js';
import { erf, erfc, erfcNumber, erfNumber } from './erf.js';
import { transpose } from './view.js';

// Reference values from mpmath 1.2.1 at 40 digits (`mpmath.erf(mpmath.mpf(x))`, the double x exactly),
// rounded to the nearest double: points on both sides of the approximation's interval bounds 0.46875 and 4.
const ERF: [number, number][] = [
  [1e-10, 1.1283791670955126e-10],
  [0.1, 0.1124629160182849],
  [0.3, 0.3286267594591274],
  [0.46875, 0.49261347321793797],
  [0.47, 0.4937450508860821],
  [0.5, 0.5204998778130465],
  [1, 0.8427007929497149],
  [1.5, 0.9661051464753108],
  [2, 0.9953222650189527],
  [2.5, 0.999593047982555],
  [3, 0.9999779095030014],
  [3.99, 0.9999999832607886],
  [4, 0.9999999845827421],
  [4.01, 0.9999999858030606],
  [5, 0.9999999999984626],
  [6, 1.0],
];
const ERFC: [number, number][] = [
  [0.46875, 0.507386526782062],
  [1, 0.15729920705028513],
  [2, 0.004677734981047266],
  [4, 1.541725790028002e-8],
  [5, 1.537459794428035e-12],
  [10, 2.088487583762545e-45],
  [20, 5.395865611607901e-176],
  [26.5, 2.2109076642637343e-307],
];

const rel = (a: number, e: number) => Math.abs(a - e) / Math.abs(e);

describe('erf and erfc of a number', () => {
  it('match high-precision reference values to 1e-15 relative (both signs)', () => {
    for (const [x, e] of ERF) {
      expect(rel(erfNumber(x), e), `erf(${x})`).toBeLessThan(1e-15);
      expect(erfNumber(-x), `erf(-${x})`).toBe(-erfNumber(x));
    }
    for (const [x, e] of ERFC) {
      expect(rel(erfcNumber(x), e), `erfc(${x})`).toBeLessThan(1e-15);
      expect(rel(erfcNumber(-x), 2 - e), `erfc(-${x})`).toBeLessThan(1e-15);
    }
  });

  it('has derivative 2/√π·exp(−x²) and erf + erfc = 1 across all three intervals', () => {
    const h = 1e-5;
    for (let x = -6; x <= 6; x += 0.0625 + 1e-3) {
      const slope = (erfNumber(x + h) - erfNumber(x - h)) / (2 * h);
      expect(Math.abs(slope - (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x)), `erf'(${x})`).toBeLessThan(1e-9);
      expect(Math.abs(erfNumber(x) + erfcNumber(x) - 1), `erf + erfc at ${x}`).toBeLessThan(4e-16);
    }
  });

  it('is monotone and saturates at ±1; handles 0, ±Infinity and NaN', () => {
    let prev = -1;
    for (let x = -7; x <= 7; x += 0.01) {
      const v = erfNumber(x);
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
    expect(erfNumber(6.5)).toBe(1);
    expect(Object.is(erfNumber(-0), -0)).toBe(true);
    expect(erfNumber(Infinity)).toBe(1);
    expect(erfNumber(-Infinity)).toBe(-1);
    expect(erfcNumber(Infinity)).toBe(0);
    expect(erfcNumber(-Infinity)).toBe(2);
    expect(erfcNumber(30)).toBe(0); // below the smallest double (~1e-393)
    expect(erfNumber(Number.NaN)).toBeNaN();
    expect(erfcNumber(Number.NaN)).toBeNaN();
  });
});

describe('erf and erfc of a tensor', () => {
  it('apply elementwise in the input float dtype, strided views included', () => {
    const x = tensor(
      [
        [-2, -0.25, 0],
        [0.5, 1, 3],
      ],
      { dtype: 'float64' },
    );
    const t = transpose(x, 0, 1); // a non-contiguous view
    const y = erf(t);
    expect(y.dtype).toBe('float64');
    expect(y.shape).toEqual([3, 2]);
    const xs = Array.from(t.toTypedArray());
    expect(Array.from(y.toTypedArray())).toEqual(xs.map(erfNumber));
    expect(Array.from(erfc(t).toTypedArray())).toEqual(xs.map(erfcNumber));
    expect(Array.from(t.erf().toTypedArray())).toEqual(Array.from(y.toTypedArray()));
    const f32 = erf(x.to('float32'));
    expect(f32.dtype).toBe('float32');
    expect(Array.from(f32.toTypedArray())).toEqual(
      Array.from(Float32Array.from(x.toTypedArray(), erfNumber)),
    );
  });

  it('gives float32 for int32 input and rejects a non-tensor', () => {
    const y = erfc(arange(-2, 3, 1, { dtype: 'int32' }));
    expect(y.dtype).toBe('float32');
    expect(Array.from(y.toTypedArray())).toEqual(
      Array.from(Float32Array.from([-2, -1, 0, 1, 2], erfcNumber)),
    );
    expect(() => erf([1, 2] as never)).toThrow(/erf: x must be a Tensor, received object/);
  });
});
