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

/** max |got − want| ≤ 1e-5 · max |want| (float32 sums in another order than the float64 reference). */
function expectClose(got: Float32Array, want: Float64Array): void {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  expect(scale).toBeGreaterThan(0);
  expect(err).toBeLessThanOrEqual(1e-5 * scale);
}

/**
 * [name, geometry, channels per group Cg, channels C, images nb, rows M]. Stride 1 with few rows runs
 * as a direct convolution (wasm-conv-direct.ts, directApplies and each form's own rule), the rest as
 * im2col + sgemm.
 */
const cases: [string, Window2d, number, number, number, number][] = [
  ['LeNet conv1, 3 images', win(32, 32, 5, 5, 1, 0, 1), 3, 3, 3, 6],
  ['LeNet conv2, 2 images', win(14, 14, 5, 5, 1, 0, 1), 6, 6, 2, 16],
  ['padded 3×3, second group', win(9, 7, 3, 3, 1, 1, 1), 2, 4, 2, 5],
  ['strided, dilated, odd', win(11, 13, 3, 2, 2, 2, 2), 3, 3, 1, 9],
  // C·kh·kw = 300 spans two of the sgemm's k-blocks; images side by side cut panels mid-way
  ['deep 5×5, padded, 3 images', win(7, 9, 5, 5, 1, 2, 1), 12, 12, 3, 7],
  ['dilated 3×2, one row, stride 1', win(6, 10, 3, 2, 1, 1, 2), 3, 3, 2, 3],
  // 20 rows: the weight gradient directly only because ≤ 10 % of its flat positions are thrown away
  ['wide 3×3, 20 rows', win(24, 24, 3, 3, 1, 1, 1), 2, 2, 2, 20],
  ['more rows than the direct form takes', win(6, 6, 3, 3, 1, 1, 1), 2, 2, 2, 65],
];

/** The [M, nb·L] operand laid out as in a batch tensor: rows L apart, images `ldi` = M·L + 3 apart. */
const batchLayout = (M: number, nb: number, L: number) => ({
  ld: L,
  ldi: M * L + 3,
  n: 3 + nb * (M * L + 3),
});

/** Compact rows [M, nb·L] of such an operand, in float64 (for the reference). */
function compact(X: Float32Array, off: number, ld: number, ldi: number, M: number, nb: number, L: number) {
  const c = new Float64Array(M * nb * L);
  for (let r = 0; r < M; r++)
    for (let i = 0; i < nb; i++)
      for (let l = 0; l < L; l++) c[(r * nb + i) * L + l] = X[off + r * ld + i * ldi + l]!;
  return c;
}

describe.each(variants)('wasm sgemmUnfold (%s)', (variant) => {
  const { unfold: fused } = createWasmConvGemms(variant, {
    unfold: referenceKernels.sgemmUnfold,
    fold: referenceKernels.sgemmFold,
  })!;
  const sgemm = createWasmSgemm(variant, referenceKernels.sgemm)!;
  for (const [name, g, Cg, C, nb, M] of cases) {
    const L = g.OH * g.OW;
    const NL = nb * L;
    const CKK = Cg * g.kh * g.kw;
    const image = C * g.H * g.W;
    const xOff = 5 + (C - Cg) * g.H * g.W; // the last group's channels
    /** U of the images, float32, through the reference im2col. */
    const unfoldX = (x: Float32Array) => {
      const U = new Float32Array(CKK * NL);
      for (let i = 0; i < nb; i++) referenceKernels.im2col(x, xOff + i * image, Cg, g, U, i * L, NL);
      return U;
    };

    it(`${name}, forward (alpha 1, beta 0, as conv2d calls it): bit-identical to im2col + sgemm`, () => {
      const x = rand(5 + nb * image);
      x[xOff + 7] = Number.NaN; // stays in the outputs whose window holds it, on both paths
      const lda = CKK + 3;
      const A = rand(2 + M * lda);
      const want = new Float32Array(4 + M * NL).fill(7);
      sgemm(false, false, M, NL, CKK, 1, A, lda, unfoldX(x), NL, 0, want, NL, 2, 0, 4);
      const got = new Float32Array(4 + M * NL).fill(Number.NaN); // beta 0: never read
      fused(false, M, 1, A, 2, lda, x, xOff, image, nb, Cg, g, 0, got, 4, NL, L);
      expect(Array.from(got.subarray(4)).map(String)).toEqual(Array.from(want.subarray(4)).map(String));
    });

    it(`${name}, forward into a batch layout, alpha 0.5, beta 1: the float64 reference's values`, () => {
      const x = rand(5 + nb * image);
      const lda = CKK + 1;
      const A = rand(M * lda);
      const { ld, ldi, n } = batchLayout(M, nb, L);
      const C0 = rand(n);
      const got = C0.slice();
      fused(false, M, 0.5, A, 0, lda, x, xOff, image, nb, Cg, g, 1, got, 3, ld, ldi);
      const want = Float64Array.from(C0);
      referenceKernels.sgemmUnfold(
        false,
        M,
        0.5,
        Float64Array.from(A),
        0,
        lda,
        Float64Array.from(x),
        xOff,
        image,
        nb,
        Cg,
        g,
        1,
        want,
        3,
        ld,
        ldi,
      );
      expectClose(got, want);
      // the gaps between images are left alone
      for (let i = 0; i < nb; i++) expect(got[3 + i * ldi + M * L]).toBe(C0[3 + i * ldi + M * L]);
    });

    it(`${name}, weight gradient from a batch-layout dy, alpha 0.5, beta 1: the float64 reference's values`, () => {
      const x = rand(5 + nb * image);
      const { ld, ldi, n } = batchLayout(M, nb, L);
      const dy = rand(n);
      const ldc = CKK + 2;
      const C0 = rand(M * ldc);
      const got = C0.slice();
      fused(true, M, 0.5, dy, 3, ld, x, xOff, image, nb, Cg, g, 1, got, 0, ldc, ldi);
      const want = Float64Array.from(C0);
      const dyc = compact(dy, 3, ld, ldi, M, nb, L);
      referenceKernels.sgemmUnfold(
        true,
        M,
        0.5,
        dyc,
        0,
        NL,
        Float64Array.from(x),
        xOff,
        image,
        nb,
        Cg,
        g,
        1,
        want,
        0,
        ldc,
        L,
      );
      expectClose(got, want);
      for (let r = 0; r < M; r++) expect(got[r * ldc + CKK + 1]).toBe(C0[r * ldc + CKK + 1]);
    });

    it(`${name}, weight gradient of an image holding ±Inf: NaN and ±Inf exactly where im2col + sgemm has them (none from positions the windows skip)`, () => {
      const x = rand(5 + nb * image);
      // every element of the first image's first row and column is Inf: some are in no window's
      // reach for some taps, which the unfolded GEMM never multiplies
      for (let w = 0; w < g.W; w++) x[xOff + w] = Number.POSITIVE_INFINITY;
      for (let h = 0; h < g.H; h++) x[xOff + h * g.W] = Number.NEGATIVE_INFINITY;
      const dy = rand(M * NL);
      const want = new Float32Array(M * CKK);
      sgemm(false, true, M, CKK, NL, 1, dy, NL, unfoldX(x), NL, 0, want, CKK, 0, 0, 0);
      const got = new Float32Array(M * CKK);
      fused(true, M, 1, dy, 0, NL, x, xOff, image, nb, Cg, g, 0, got, 0, CKK, L);
      const kind = (v: number) => (Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? 'finite' : String(v));
      expect(Array.from(got, kind)).toEqual(Array.from(want, kind));
      expect(Array.from(want, kind)).toContain('finite');
      const finite = (a: Float32Array) => Float64Array.from(a, (v) => (Number.isFinite(v) ? v : 0));
      expectClose(finite(got) as unknown as Float32Array, finite(want));
    });
  }
});

describe.each(variants)('wasm sgemmFold (%s)', (variant) => {
  const { fold } = createWasmConvGemms(variant, {
    unfold: referenceKernels.sgemmUnfold,
    fold: referenceKernels.sgemmFold,
  })!;
  const sgemm = createWasmSgemm(variant, referenceKernels.sgemm)!;
  for (const [name, g, Cg, C, nb, K] of cases) {
    for (const transA of [true, false]) {
      it(`${name}, transA=${transA}, dy in a batch layout: adds the float64 reference's values into dx`, () => {
        const L = g.OH * g.OW;
        const CKK = Cg * g.kh * g.kw;
        const image = C * g.H * g.W;
        // op(A) is [CKK, K]: stored [K, CKK] when transposed (the conv weight), else [CKK, K]
        const lda = (transA ? CKK : K) + 2;
        const A = rand(3 + (transA ? K : CKK) * lda);
        const { ld, ldi, n } = batchLayout(K, nb, L);
        const B = rand(n);
        const dx0 = rand(4 + nb * image);
        const dxOff = 4 + (C - Cg) * g.H * g.W;
        const want = Float64Array.from(dx0);
        referenceKernels.sgemmFold(
          transA,
          K,
          Float64Array.from(A),
          3,
          lda,
          Float64Array.from(B),
          3,
          ld,
          ldi,
          want,
          dxOff,
          image,
          nb,
          Cg,
          g,
        );
        const got = dx0.slice();
        fold(transA, K, A, 3, lda, B, 3, ld, ldi, got, dxOff, image, nb, Cg, g);
        expectClose(got, want);
        expect(got.some((v, i) => v !== dx0[i])).toBe(true);
        // the other groups' channels are left alone
        for (let i = 0; i < dxOff; i++) expect(got[i]).toBe(dx0[i]);
      });
    }
    it(`${name}, a weight of +Inf: bit-identical to sgemm + col2im (no NaN from the padding's zeros)`, () => {
      const L = g.OH * g.OW;
      const NL = nb * L;
      const CKK = Cg * g.kh * g.kw;
      const image = C * g.H * g.W;
      const A = rand(K * CKK);
      A[CKK - 1] = Number.POSITIVE_INFINITY; // the last tap of the first output channel
      const B = Float32Array.from(rand(K * NL), Math.abs); // dy > 0: Inf·dy stays +Inf
      const P = new Float32Array(CKK * NL);
      sgemm(true, false, CKK, NL, K, 1, A, CKK, B, NL, 0, P, NL, 0, 0, 0);
      const want = new Float32Array(nb * image);
      for (let i = 0; i < nb; i++)
        referenceKernels.col2im(P, Cg, g, want, (C - Cg) * g.H * g.W + i * image, i * L, NL);
      const got = new Float32Array(nb * image);
      fold(true, K, A, 0, CKK, B, 0, NL, L, got, (C - Cg) * g.H * g.W, image, nb, Cg, g);
      expect(Array.from(got).map(String)).toEqual(Array.from(want).map(String));
    });
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
    kernels.sgemmUnfold(false, 1, 1, A, 0, 4, x, 0, 16, 1, 1, g, 0, out, 0, 9, 9);
    expect(Array.from(out)).toEqual([0, 1, 2, 4, 5, 6, 8, 9, 10]);
  });
});
