import { describe, expect, it } from 'vitest';
import { Generator, kernelBackend, referenceKernels } from '../index.js';
import { kernels, type Window2d } from '../kernels.js';
import { createWasmCol2im, createWasmIm2col } from './wasm-im2col.js';
import { wasmModule } from './wasm-module.js';

const gen = new Generator(12);
const variants = (['relaxed', 'simd'] as const).filter((v) => wasmModule(v) !== null);
if (variants.length === 0)
  console.warn('wasm-im2col: this engine has no WebAssembly SIMD; only the fallback is tested');

/** [H, W, kh, kw, sh, sw, ph, pw, dh, dw]: odd sizes, padding wider than the kernel, strides, dilation. */
const geoms: number[][] = [
  [32, 32, 5, 5, 1, 1, 0, 0, 1, 1], // LeNet conv1
  [7, 9, 3, 3, 1, 1, 1, 1, 1, 1],
  [6, 5, 2, 3, 2, 3, 3, 4, 1, 1],
  [9, 8, 3, 2, 2, 1, 2, 0, 2, 3],
  [4, 4, 1, 1, 1, 1, 0, 0, 1, 1],
  [7, 3, 5, 1, 3, 2, 0, 2, 1, 1],
  [3, 11, 1, 4, 1, 3, 1, 5, 1, 2],
  [5, 13, 2, 2, 1, 1, 0, 9, 1, 1], // some rows entirely in padding
  [10, 12, 3, 3, 1, 1, 0, 0, 2, 2], // dilated, no padding: every tap a plain row copy
];
const win = ([H, W, kh, kw, sh, sw, ph, pw, dh, dw]: number[]): Window2d => ({
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
  OH: Math.floor((H! + 2 * ph! - dh! * (kh! - 1) - 1) / sh!) + 1,
  OW: Math.floor((W! + 2 * pw! - dw! * (kw! - 1) - 1) / sw!) + 1,
});

describe.each(variants)('wasm im2col (%s)', (variant) => {
  const im2col = createWasmIm2col(variant, referenceKernels.im2col)!;
  for (const geom of geoms) {
    const g = win(geom);
    it(`equals the reference bit for bit, offsets and a wide row stride: ${JSON.stringify(geom)}`, () => {
      const C = 3;
      const L = g.OH * g.OW;
      const rows = C * g.kh * g.kw;
      const x = new Float32Array(7 + C * g.H * g.W + 2);
      for (let i = 0; i < x.length; i++) x[i] = gen.normal();
      x[9] = Number.NaN;
      x[10] = -0;
      for (const [colOff, ldcol] of [
        [0, L],
        [L + 2, 3 * L + 1],
      ] as const) {
        const want = new Float32Array(colOff + rows * ldcol + 4).fill(Number.NaN);
        const got = new Float32Array(want.length).fill(Number.NaN);
        referenceKernels.im2col(x, 7, C, g, want, colOff, ldcol);
        im2col(x, 7, C, g, got, colOff, ldcol);
        expect(new Int32Array(got.buffer)).toEqual(new Int32Array(want.buffer)); // bits, NaN payloads included
      }
    });
  }
  it('grows its memory for a large image and keeps working after', () => {
    const g = win([64, 64, 5, 5, 1, 1, 2, 2, 1, 1]);
    const C = 16; // 6.5 MB of columns: past the initial memory
    const x = new Float32Array(C * 64 * 64).map(() => gen.normal());
    const want = new Float32Array(C * 25 * g.OH * g.OW);
    const got = new Float32Array(want.length);
    referenceKernels.im2col(x, 0, C, g, want);
    for (let rep = 0; rep < 2; rep++) {
      got.fill(Number.NaN);
      im2col(x, 0, C, g, got);
      let bad = -1;
      for (let i = 0; i < want.length && bad < 0; i++) if (!Object.is(got[i], want[i])) bad = i;
      expect(bad).toBe(-1);
    }
  });
  it('hands float64 arrays to the fallback', () => {
    const g = win([5, 6, 2, 2, 1, 1, 1, 0, 1, 1]);
    const x = new Float64Array(2 * 30).map(() => gen.normal());
    const want = new Float64Array(2 * 4 * g.OH * g.OW);
    const got = new Float64Array(want.length);
    referenceKernels.im2col(x, 0, 2, g, want);
    im2col(x, 0, 2, g, got);
    expect(got).toEqual(want);
  });
});

describe.each(variants)('wasm col2im (%s)', (variant) => {
  const col2im = createWasmCol2im(variant, referenceKernels.col2im)!;
  for (const geom of geoms) {
    const g = win(geom);
    it(`equals the reference bit for bit (accumulating into dx), offsets and a wide row stride: ${JSON.stringify(geom)}`, () => {
      const C = 3;
      const L = g.OH * g.OW;
      const rows = C * g.kh * g.kw;
      for (const [colOff, ldcol] of [
        [0, L],
        [L + 2, 3 * L + 1],
      ] as const) {
        const col = new Float32Array(colOff + rows * ldcol + 4);
        for (let i = 0; i < col.length; i++) col[i] = gen.normal() * 100;
        const want = new Float32Array(5 + C * g.H * g.W + 3);
        for (let i = 0; i < want.length; i++) want[i] = gen.normal();
        const got = want.slice();
        referenceKernels.col2im(col, C, g, want, 5, colOff, ldcol);
        col2im(col, C, g, got, 5, colOff, ldcol);
        expect(new Int32Array(got.buffer)).toEqual(new Int32Array(want.buffer));
      }
    });
  }
  it('hands float64 arrays to the fallback', () => {
    const g = win([5, 6, 2, 2, 1, 1, 1, 0, 1, 1]);
    const col = new Float64Array(2 * 4 * g.OH * g.OW).map(() => gen.normal());
    const want = new Float64Array(60);
    const got = new Float64Array(60);
    referenceKernels.col2im(col, 2, g, want, 0);
    col2im(col, 2, g, got, 0);
    expect(got).toEqual(want);
  });
});

it('the installed im2col / col2im are the WebAssembly ones when SIMD is available', () => {
  for (const k of ['im2col', 'col2im'] as const) {
    if (kernelBackend() === 'js') expect(kernels[k]).toBe(referenceKernels[k]);
    else expect(kernels[k]).not.toBe(referenceKernels[k]);
  }
});
