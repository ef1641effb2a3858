import { describe, expect, it } from 'vitest';
import { adamMoments, adamStep, Generator, referenceKernels } from '../index.js';
import type { AdamScalars } from '../kernels.js';
import { magnitudes } from '../test-utils/magnitudes.js';
import { createWasmAdam, createWasmAdamMoments } from './wasm-adam.js';
import { wasmModule } from './wasm-module.js';

const gen = new Generator(29);
// only the plain-SIMD build carries this kernel (no fused multiply-add in it; see build-wasm.mjs)
const variants = (['simd'] as const).filter((v) => wasmModule(v) !== null);
if (variants.length === 0)
  console.warn('wasm-adam: this engine has no WebAssembly SIMD; only the reference is tested');

const values = (n: number, positive = false) => magnitudes(gen, n, { positive });

/** Scalars as nn's Adam computes them for step t (float32-rounded). */
function scalars(t: number, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8): AdamScalars {
  const f = Math.fround;
  return {
    b1: f(beta1),
    b2: f(beta2),
    oneMinusB1: f(1 - beta1),
    oneMinusB2: f(1 - beta2),
    negStepSize: f(-(lr / (1 - beta1 ** t))),
    bc2Sqrt: f(Math.sqrt(1 - beta2 ** t)),
    eps: f(eps),
  };
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe.each(variants)('wasm adam (%s) against the reference kernel', (variant) => {
  const wasm = createWasmAdam(variant)!;
  // Odd lengths exercise the scalar tail; 8192·2 + 5 crosses the chunk boundary twice.
  it.each([1, 3, 4, 7, 33, 8192, 8192 * 2 + 5, 30001])('is bit-identical over 5 steps, n = %i', (n) => {
    const w0 = values(n);
    const m0 = values(n);
    const v0 = values(n, true);
    const [w1, m1, v1] = [w0.slice(), m0.slice(), v0.slice()];
    const [w2, m2, v2] = [w0.slice(), m0.slice(), v0.slice()];
    for (let t = 1; t <= 5; t++) {
      const g = values(n);
      const s = scalars(t, t === 3 ? 0.37 : 1e-3, 0.85, 0.995, t === 4 ? 1e-3 : 1e-8);
      referenceKernels.adam(w1, g, m1, v1, s);
      wasm(w2, g, m2, v2, s);
    }
    expect(bits(m2)).toEqual(bits(m1));
    expect(bits(v2)).toEqual(bits(v1));
    expect(bits(w2)).toEqual(bits(w1));
    // and it moved: an update that did nothing would also be "identical"
    expect(bits(w2)).not.toEqual(bits(w0));
  });

  it.each([8192, 8192 * 2 + 5])('moments from adamMoments (n = %i) update in place, bit-identical', (n) => {
    const moments = createWasmAdamMoments(variant)!;
    const { m, v } = moments(n);
    // they sit in an instance's memory and start at zero
    expect(m.buffer).not.toBe(new Float32Array(0).buffer);
    expect(m.buffer).toBe(v.buffer);
    expect(m.every((x) => x === 0) && v.every((x) => x === 0)).toBe(true);
    const w0 = values(n);
    const [w1, m1, v1] = [w0.slice(), new Float32Array(n), new Float32Array(n)];
    const w2 = w0.slice();
    for (let t = 1; t <= 4; t++) {
      const g = values(n);
      const s = scalars(t, t === 3 ? 0.37 : 1e-3);
      referenceKernels.adam(w1, g, m1, v1, s);
      wasm(w2, g, m, v, s);
    }
    expect(bits(m)).toEqual(bits(m1));
    expect(bits(v)).toEqual(bits(v1));
    expect(bits(w2)).toEqual(bits(w1));
    expect(bits(w2)).not.toEqual(bits(w0));
    // a shorter w with these moments does not run the in-place path on the wrong length
    const w3 = w0.slice(0, 5);
    const [m3, v3] = [m.slice(0, 5), v.slice(0, 5)];
    const w4 = w3.slice();
    referenceKernels.adam(w3, w0.subarray(0, 5), m3, v3, scalars(5));
    const [ms, vs] = [m.subarray(0, 5), v.subarray(0, 5)];
    wasm(w4, w0.subarray(0, 5), ms, vs, scalars(5));
    expect(bits(w4)).toEqual(bits(w3));
    expect(bits(ms)).toEqual(bits(m3));
  });

  it('gives small moments as plain arrays', () => {
    const { m, v } = createWasmAdamMoments(variant)!(100);
    expect(m.buffer.byteLength).toBe(400);
    expect(v.length).toBe(100);
  });

  it('propagates NaN and Infinity gradients like the reference', () => {
    const g = new Float32Array([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, 0]);
    const a = [new Float32Array(5).fill(0.5), new Float32Array(5), new Float32Array(5)];
    const b = a.map((x) => x.slice());
    referenceKernels.adam(a[0]!, g, a[1]!, a[2]!, scalars(1));
    wasm(b[0]!, g, b[1]!, b[2]!, scalars(1));
    for (let k = 0; k < 3; k++) expect(Array.from(b[k]!).map(String)).toEqual(Array.from(a[k]!).map(String));
  });
});

describe('adamMoments', () => {
  it('gives zeroed float32 pairs of the length asked and checks it', () => {
    const { m, v } = adamMoments(10000);
    expect(m).toBeInstanceOf(Float32Array);
    expect([m.length, v.length]).toEqual([10000, 10000]);
    expect(m.every((x) => x === 0) && v.every((x) => x === 0)).toBe(true);
    expect(() => adamMoments(-1)).toThrow(/adamMoments: n must be a non-negative integer, received -1/);
  });
});

describe('adamStep', () => {
  it('runs the installed kernel and checks its arguments', () => {
    const w = new Float32Array([1, 2]);
    adamStep(w, new Float32Array([0.5, -0.5]), new Float32Array(2), new Float32Array(2), scalars(1));
    // first step: m̂/√v̂ = sign(g), so w moves by lr against the gradient
    expect(w[0]).toBeCloseTo(1 - 1e-3, 6);
    expect(w[1]).toBeCloseTo(2 + 1e-3, 6);
    expect(() =>
      adamStep(w, new Float32Array(3), new Float32Array(2), new Float32Array(2), scalars(1)),
    ).toThrow(/adamStep.*g must have w's length 2, received length 3/);
    expect(() =>
      adamStep(
        w,
        new Float64Array(2) as unknown as Float32Array,
        new Float32Array(2),
        new Float32Array(2),
        scalars(1),
      ),
    ).toThrow('adamStep: g must be a Float32Array, received Float64Array(2)');
  });
});
