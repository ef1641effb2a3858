import { describe, expect, it } from 'vitest';
import { Generator, kernelBackend, referenceKernels } from '../index.js';
import { kernels, type Window2d } from '../kernels.js';
import { wasmModule } from './wasm-module.js';
import { createWasmMaxPool2d, createWasmMaxPool2dGrad } from './wasm-pool.js';

const gen = new Generator(13);
// only the plain-SIMD build carries this kernel (no fused multiply-add in it; see build-wasm.mjs)
const variants = (['simd'] as const).filter((v) => wasmModule(v) !== null);
if (variants.length === 0)
  console.warn('wasm-pool: this engine has no WebAssembly SIMD; only the fallback is tested');

/** [H, W, kh, kw, sh, sw, ph, pw, dh, dw, extraRows, extraCols] (extra: ceil-mode-like windows past the edge). */
const geoms: number[][] = [
  [28, 28, 2, 2, 2, 2, 0, 0, 1, 1, 0, 0], // LeNet
  [9, 23, 2, 2, 2, 2, 0, 0, 1, 1, 0, 0], // odd sizes: a dropped last row and column, a 3-window tail
  [10, 10, 2, 2, 2, 2, 0, 0, 1, 1, 0, 0], // LeNet's second: rows of 5 windows (the last four overlap)
  [4, 6, 2, 2, 2, 2, 0, 0, 1, 1, 0, 0], // rows of 3 windows: the scalar loop alone
  [6, 8, 2, 2, 2, 2, 0, 0, 1, 1, 0, 0], // rows of exactly 4
  [7, 9, 3, 3, 2, 2, 1, 1, 1, 1, 0, 0],
  [5, 6, 2, 3, 1, 2, 1, 1, 2, 1, 0, 0],
  [5, 5, 2, 2, 2, 2, 0, 0, 1, 1, 1, 1],
  [3, 8, 3, 1, 1, 3, 1, 0, 1, 1, 0, 0],
];
const win = ([H, W, kh, kw, sh, sw, ph, pw, dh, dw, er, ec]: number[]): Window2d => ({
  H: H!,
  W: W!,
  kh: kh!,
  kw: kw!,
  sh: sh!,
  sw: sw!,
  ph: ph!,
  pw: pw!,
  dh: dh!,
  dw: dw!,
  OH: Math.floor((H! + 2 * ph! - dh! * (kh! - 1) - 1) / sh!) + 1 + er!,
  OW: Math.floor((W! + 2 * pw! - dw! * (kw! - 1) - 1) / sw!) + 1 + ec!,
});

/** Values with ties, ±0, NaNs (both signs) and ±Infinity sprinkled in. */
function values(n: number): Float32Array {
  const x = new Float32Array(n);
  const nanNeg = new Float32Array(new Int32Array([0xffc00000 | 0]).buffer)[0]!;
  const pool = [Number.NaN, nanNeg, -0, 0, 1, 1, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  for (let i = 0; i < n; i++) {
    const r = gen.random();
    x[i] = r < 0.1 ? pool[gen.randint(0, pool.length)]! : r < 0.3 ? gen.randint(-2, 3) : gen.normal();
  }
  return x;
}

describe.each(variants)('wasm maxPool2d (%s)', (variant) => {
  const pool = createWasmMaxPool2d(variant, referenceKernels.maxPool2d)!;
  for (const geom of geoms) {
    const g = win(geom);
    it(`equals the reference bit for bit, argmax included: ${JSON.stringify(geom)}`, () => {
      const planes = 5;
      const x = values(planes * g.H * g.W);
      const n = planes * g.OH * g.OW;
      const want = new Float32Array(n);
      const wantIdx = new Int32Array(n);
      referenceKernels.maxPool2d(x, planes, g, want, wantIdx);
      const got = new Float32Array(n);
      const gotIdx = new Int32Array(n).fill(7);
      pool(x, planes, g, got, gotIdx);
      expect(new Int32Array(got.buffer)).toEqual(new Int32Array(want.buffer));
      expect(gotIdx).toEqual(wantIdx);
      const only = new Float32Array(n);
      pool(x, planes, g, only, null);
      expect(only).toEqual(got);
    });
  }
  it('hands float64 arrays to the fallback', () => {
    const g = win(geoms[1]!);
    const x = Float64Array.from(values(2 * g.H * g.W));
    const want = new Float64Array(2 * g.OH * g.OW);
    const got = new Float64Array(want.length);
    referenceKernels.maxPool2d(x, 2, g, want, null);
    pool(x, 2, g, got, null);
    expect(got).toEqual(want);
  });
});

describe.each(variants)('wasm maxPool2dGrad (%s)', (variant) => {
  const grad = createWasmMaxPool2dGrad(variant, referenceKernels.maxPool2dGrad)!;
  const pool = createWasmMaxPool2d(variant, referenceKernels.maxPool2d)!;
  for (const geom of geoms) {
    const g = win(geom);
    it(`equals the reference bit for bit (overlapping windows, padding-only windows): ${JSON.stringify(geom)}`, () => {
      const planes = 4;
      const HW = g.H * g.W;
      const n = g.OH * g.OW;
      const idx = new Int32Array(planes * n);
      pool(values(planes * HW), planes, g, new Float32Array(planes * n), idx);
      const dy = values(planes * n);
      const want = new Float32Array(planes * HW);
      const got = new Float32Array(planes * HW).fill(5); // the kernel zeroes it
      expect(referenceKernels.maxPool2dGrad(dy, idx, planes, n, HW, want)).toBe(-1);
      expect(grad(dy, idx, planes, n, HW, got)).toBe(-1);
      expect(Array.from(got, String)).toEqual(Array.from(want, String));
      expect(got.some((v) => v !== 0)).toBe(true);
    });
  }
  it('reports the first output whose index is outside its plane', () => {
    const idx = Int32Array.from([0, 3, -1, 2, 8, 4]);
    const dy = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect(grad(dy, idx, 2, 3, 9, new Float32Array(18))).toBe(-1);
    idx[4] = 9; // planes of 9 inputs: 9 is out
    expect(grad(dy, idx, 2, 3, 9, new Float32Array(18))).toBe(4);
    expect(referenceKernels.maxPool2dGrad(dy, idx, 2, 3, 9, new Float32Array(18))).toBe(4);
  });
  it('hands float64 arrays to the fallback', () => {
    const idx = Int32Array.from([1, 0, 2, 2]);
    const dy = Float64Array.from([0.1, 0.2, 0.3, 0.4]);
    const got = new Float64Array(6);
    expect(grad(dy, idx, 2, 2, 3, got)).toBe(-1);
    expect(Array.from(got)).toEqual([0.2, 0.1, 0, 0, 0, 0.3 + 0.4]);
  });
});

it('the installed maxPool2d is the WebAssembly one when SIMD is available', () => {
  if (kernelBackend() === 'js') expect(kernels.maxPool2d).toBe(referenceKernels.maxPool2d);
  else expect(kernels.maxPool2d).not.toBe(referenceKernels.maxPool2d);
});
