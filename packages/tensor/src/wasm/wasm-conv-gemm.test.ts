import { describe, expect, it } from 'vitest';
import { Generator, referenceKernels } from '../index.js';
import { kernels, type Window2d } from '../kernels.js';
import { createWasmConvGemms } from './wasm-conv-gemm.js';
import { wasmModule } from './wasm-module.js';
import { createWasmSgemm } from './wasm-sgemm.js';

const gen = new Generator(17);
const variants = (['relaxed', 'simd'] as const).filter((v) => wasmModule(v) !== null);
if (variants.length === 0)
  console.warn('wasm-sgemm-unfold: this engine has no WebAssembly SIMD; only the fallback is tested');

const win = (H: number, W: number, kh: number, kw: number, s: number, p: number, d: number): Window2d => ({
  H,
  W,
  kh,
  kw,
  sh: s,
  sw: s,
  ph: p,
  pw: p,
  dh: d,
  dw: d,
  OH: Math.floor((H + 2 * p - d * (kh - 1) - 1) / s) + 1,
  OW: Math.floor((W + 2 * p - d * (kw - 1) - 1) / s) + 1,
});

const rand = (n: number) => Float32Array.from({ length: n }, () => gen.normal());

/** [name, geometry, channels per group Cg, channels C, images nb, rows M] */
const cases: [string, Window2d, number, number, number, number][] = [
  ['LeNet conv1, 3 images', win(32, 32, 5, 5, 1, 0, 1), 3, 3, 3, 6],
  ['padded 3×3, second group', win(9, 7, 3, 3, 1, 1, 1), 2, 4, 2, 5],
  ['strided, dilated, odd', win(11, 13, 3, 2, 2, 2, 2), 3, 3, 1, 9],
  // C·kh·kw = 300 spans two of the sgemm's k-blocks; images side by side cut panels mid-way
  ['deep 5×5, padded, 3 images', win(7, 9, 5, 5, 1, 2, 1), 12, 12, 3, 7],
];

describe.each(variants)('wasm sgemmUnfold (%s) against im2col + sgemm', (variant) => {
  const { unfold: fused } = createWasmConvGemms(variant, {
    unfold: referenceKernels.sgemmUnfold,
    fold: referenceKernels.sgemmFold,
  })!;
  const sgemm = createWasmSgemm(variant, referenceKernels.sgemm)!;
  for (const [name, g, Cg, C, nb, M] of cases) {
    for (const transU of [false, true]) {
      it(`${name}, transU=${transU}: bit-identical, with offsets, alpha, beta`, () => {
        const L = g.OH * g.OW;
        const NL = nb * L;
        const CKK = Cg * g.kh * g.kw;
        const image = C * g.H * g.W;
        const x = rand(5 + nb * image);
        x[7] = Number.NaN; // propagates through both paths alike
        const xOff = 5 + (C - Cg) * g.H * g.W; // the last group's channels
        const [K, N] = transU ? [NL, CKK] : [CKK, NL];
        const lda = K + 3;
        const A = rand(2 + M * lda);
        const ldc = N + 1;
        const C0 = rand(4 + M * ldc);
        const [alpha, beta] = transU ? [0.5, 1] : [1, 0];
        // the composition, through the same sgemm
        const U = new Float32Array(CKK * NL);
        for (let i = 0; i < nb; i++) referenceKernels.im2col(x, xOff + i * image, Cg, g, U, i * L, NL);
        const want = C0.slice();
        sgemm(false, transU, M, N, K, alpha, A, lda, U, NL, beta, want, ldc, 2, 0, 4);
        const got = C0.slice();
        fused(transU, M, alpha, A, 2, lda, x, xOff, image, nb, Cg, g, beta, got, 4, ldc);
        expect(Array.from(got).map(String)).toEqual(Array.from(want).map(String));
        // and it computed something: the untouched padding columns aside, C changed
        expect(got[4]).not.toBe(C0[4]);
      });
    }
  }
});

describe.each(variants)('wasm sgemmFold (%s) against sgemm + col2im', (variant) => {
  const { fold } = createWasmConvGemms(variant, {
    unfold: referenceKernels.sgemmUnfold,
    fold: referenceKernels.sgemmFold,
  })!;
  const sgemm = createWasmSgemm(variant, referenceKernels.sgemm)!;
  for (const [name, g, Cg, C, nb, K] of cases) {
    for (const transA of [true, false]) {
      it(`${name}, transA=${transA}: bit-identical, adding into dx with offsets`, () => {
        const L = g.OH * g.OW;
        const NL = nb * L;
        const CKK = Cg * g.kh * g.kw;
        const image = C * g.H * g.W;
        // op(A) is [CKK, K]: stored [K, CKK] when transposed (the conv weight), else [CKK, K]
        const lda = (transA ? CKK : K) + 2;
        const A = rand(3 + (transA ? K : CKK) * lda);
        const ldb = NL + 5;
        const B = rand(1 + K * ldb);
        const dx0 = rand(4 + nb * image);
        const dxOff = 4 + (C - Cg) * g.H * g.W;
        const P = new Float32Array(CKK * NL);
        sgemm(transA, false, CKK, NL, K, 1, A, lda, B, ldb, 0, P, NL, 3, 1, 0);
        const want = dx0.slice();
        for (let i = 0; i < nb; i++) referenceKernels.col2im(P, Cg, g, want, dxOff + i * image, i * L, NL);
        const got = dx0.slice();
        fold(transA, K, A, 3, lda, B, 1, ldb, got, dxOff, image, nb, Cg, g);
        expect(Array.from(got).map(String)).toEqual(Array.from(want).map(String));
        expect(got.some((v, i) => v !== dx0[i])).toBe(true);
      });
    }
  }
});

describe('sgemmUnfold / sgemmFold', () => {
  it('are installed, and float64 goes through the reference composition', () => {
    if (variants.length > 0) {
      expect(kernels.sgemmUnfold).not.toBe(referenceKernels.sgemmUnfold);
      expect(kernels.sgemmFold).not.toBe(referenceKernels.sgemmFold);
    }
    const g = win(4, 4, 2, 2, 1, 0, 1);
    const x = Float64Array.from({ length: 16 }, (_, i) => i);
    const A = new Float64Array([1, 0, 0, 0]); // picks the top-left element of each window
    const out = new Float64Array(9);
    kernels.sgemmUnfold(false, 1, 1, A, 0, 4, x, 0, 16, 1, 1, g, 0, out, 0, 9);
    expect(Array.from(out)).toEqual([0, 1, 2, 4, 5, 6, 8, 9, 10]);
  });
});
