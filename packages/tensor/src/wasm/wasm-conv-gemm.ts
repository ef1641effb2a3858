// The conv GEMMs with the unfolding (and folding) done where the GEMM reads (writes) it: one
// instance holds the images, unfolds them with the module's im2col into its own linear memory and
// runs sgemm on that matrix; for the input gradient it runs sgemm into its memory and folds the
// product back with col2im there. Through separate kernels the column matrix (up to 8 MB per block)
// went through a JavaScript array between the im2col/col2im and the sgemm instances. Where it
// applies (stride 1, few output rows) the direct convolution of wasm-conv-direct.ts runs instead.
import {
  type FloatArray,
  foldByBlocks,
  type SgemmFoldKernel,
  type SgemmUnfoldKernel,
  unfoldByBlocks,
} from '../kernels.js';
import {
  type ConvDirectExports,
  directForward,
  directGradInput,
  directGradWeight,
} from './wasm-conv-direct.js';
import { gatherImageRows, imageSpan, stageImageRows } from './wasm-conv-layout.js';
import type { Im2colExports } from './wasm-im2col.js';
import { type WasmVariant, wasmModule } from './wasm-module.js';
import { Arena, align16, copyCIn, copyCOut, type SgemmExports, span, wasmImports } from './wasm-sgemm.js';

/** The module's exports a conv engine uses: the sgemm and the strided im2col/col2im. */
export interface ConvExports extends SgemmExports, Im2colExports, ConvDirectExports {}

/**
 * Where the conv GEMMs run: a module instance (for its im2col/col2im), a region of its memory from
 * `dataStart` that `ensure` makes addressable, and an sgemm on pointers into that memory. One
 * private instance (below), or the worker pool's shared memory with its split sgemm (thread-pool.ts).
 */
export interface ConvEngine {
  ex: ConvExports;
  dataStart: number;
  /** The module's direct convolutions (assembly/conv-direct.ts), on pointers into the memory; the pool splits them. */
  convDirect: ConvDirectExports['convDirect'];
  convDirectGradW: ConvDirectExports['convDirectGradW'];
  convDirectGradWT: ConvDirectExports['convDirectGradWT'];
  convDirectT: ConvDirectExports['convDirectT'];
  /** Makes [dataStart, dataStart + bytes) addressable; returns the current f32 view of the memory. */
  ensure(bytes: number): Float32Array;
  sgemm(
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    alpha: number,
    pA: number,
    lda: number,
    pB: number,
    ldb: number,
    beta: number,
    pC: number,
    ldc: number,
  ): void;
}

/**
 * sgemmUnfold and sgemmFold on one private instance of `variant` (one arena); float64 goes to the
 * fallbacks. Null if the engine lacks the variant.
 */
export function createWasmConvGemms(
  variant: WasmVariant,
  fallback: { unfold: SgemmUnfoldKernel; fold: SgemmFoldKernel },
): { unfold: SgemmUnfoldKernel; fold: SgemmFoldKernel } | null {
  const mod = wasmModule(variant);
  if (!mod) return null;
  const ex = new WebAssembly.Instance(mod, wasmImports()).exports as unknown as ConvExports;
  if (typeof ex.im2col !== 'function') return null;
  const packA = align16(ex.heapBase());
  const packB = align16(packA + ex.packABytes());
  const arena = new Arena(ex.memory!, align16(packB + ex.packBBytes()));
  arena.ensure(0);
  return convGemms(
    {
      ex,
      dataStart: arena.dataStart,
      ensure: (bytes) => arena.ensure(bytes),
      convDirect: ex.convDirect,
      convDirectGradW: ex.convDirectGradW,
      convDirectGradWT: ex.convDirectGradWT,
      convDirectT: ex.convDirectT,
      sgemm: (tA, tB, M, N, K, alpha, pA, lda, pB, ldb, beta, pC, ldc) =>
        ex.sgemm(+tA, +tB, M, N, K, alpha, pA, lda, pB, ldb, beta, pC, ldc, packA, packB),
    },
    fallback,
  );
}

/** A kernel's parameter list with its float arrays known to be float32. */
export type F32<P extends unknown[]> = { [I in keyof P]: P[I] extends FloatArray ? Float32Array : P[I] };

/** The two kernels on `e`: operands copied in once, im2col/col2im and the GEMM all in e's memory. */
export function convGemms(
  e: ConvEngine,
  fallback: { unfold: SgemmUnfoldKernel; fold: SgemmFoldKernel },
): { unfold: SgemmUnfoldKernel; fold: SgemmFoldKernel } {
  const { ex } = e;
  const unfold: SgemmUnfoldKernel = (...args) => {
    const [transU, M, , A, , , x, , , nb, Cg, g, , C] = args;
    if (!(A instanceof Float32Array && x instanceof Float32Array && C instanceof Float32Array)) {
      fallback.unfold(...args);
      return;
    }
    const L = g.OH * g.OW;
    const CKK = Cg * g.kh * g.kw;
    if (M <= 0 || nb * L <= 0 || CKK <= 0) return;
    if (transU ? directGradWeight(e, ...args) : directForward(e, ...args)) return;
    unfoldByBlocks(unfoldBlock, ...args);
  };
  /** One block of images through im2col + sgemm (all arrays float32, sizes positive). */
  const unfoldBlock = (...args: Parameters<SgemmUnfoldKernel>): void => {
    const [transU, M, alpha, A, offA, lda, x, xOff, imageStride, nb, Cg, g, beta, C, offC, ldc, ldi] =
      args as F32<Parameters<SgemmUnfoldKernel>>;
    const { H, W, OH, OW, kh, kw } = g;
    const L = OH * OW;
    const NL = nb * L;
    const CKK = Cg * kh * kw;
    const K = transU ? NL : CKK;
    const N = transU ? CKK : NL;
    const image = Cg * H * W;
    // M (output channels, e.g. LeNet's 6) rounded up to whole tiles with zero rows of A: a partial
    // tile row goes through sgemm's scratch-tile path on every k-chunk, which cost more than the
    // padding rows' arithmetic (6×3136×75: 160 µs, 8×3136×75: 136 µs). Same bits for the real rows.
    const tile = ex.tileRows();
    const Mp = Math.ceil(M / tile) * tile;
    // A compact: [M, CKK] at row stride lda, or (transU) the image rows [M, nb·L] gathered to NL.
    const ldA = transU ? NL : lda;
    const spanA = transU ? M * NL : span(M, K, lda);
    const spanC = transU ? span(M, N, ldc) : imageSpan(M, nb, L, ldc, ldi);
    const pA = e.dataStart;
    const pX = align16(pA + 4 * span(Mp, K, ldA));
    const pU = align16(pX + 4 * nb * image);
    const pC = align16(pU + 4 * CKK * NL);
    const pStage = align16(pC + 4 * Mp * N);
    const stageFloats = Math.max(transU ? imageSpan(M, nb, L, lda, ldi) : 0, spanC);
    let f32 = e.ensure(pStage + 4 * stageFloats - pA);
    if (transU) gatherImageRows(ex, f32, A, offA, lda, ldi, M, nb, L, pA, pStage);
    else f32.set(A.subarray(offA, offA + spanA), pA >> 2);
    if (Mp > M) f32.fill(0, (pA >> 2) + spanA, (pA >> 2) + span(Mp, K, ldA));
    for (let i = 0; i < nb; i++) {
      const src = xOff + i * imageStride;
      f32.set(x.subarray(src, src + image), (pX >> 2) + i * image);
    }
    for (let i = 0; i < nb; i++)
      ex.im2col(
        pX + 4 * i * image,
        Cg,
        H,
        W,
        OH,
        OW,
        kh,
        kw,
        g.sh,
        g.sw,
        g.ph,
        g.pw,
        g.dh,
        g.dw,
        pU + 4 * i * L,
        NL,
      );
    if (transU) {
      if (beta !== 0) copyCIn(f32, pC >> 2, C, offC, M, N, ldc);
      e.sgemm(false, true, Mp, N, K, alpha, pA, ldA, pU, NL, beta, pC, N);
      copyCOut(e.ensure(0), pC >> 2, C, offC, M, N, ldc);
      return;
    }
    // C's image rows staged as they lie in C, moved to and from the compact product in e's memory.
    const stage = stageImageRows(f32, C, offC, ldc, ldi, M, nb, L, pStage, beta);
    if (beta !== 0)
      for (let i = 0; i < nb; i++)
        ex.copyPlanes(pStage + 4 * i * ldi, ldc, 0, pC + 4 * i * L, N, 0, M, 1, L, 1, 0);
    e.sgemm(false, false, Mp, N, K, alpha, pA, ldA, pU, NL, beta, pC, N);
    f32 = e.ensure(0);
    for (let i = 0; i < nb; i++)
      ex.copyPlanes(pC + 4 * i * L, N, 0, pStage + 4 * i * ldi, ldc, 0, M, 1, L, 1, 0);
    stage.end(f32);
  };
  const fold: SgemmFoldKernel = (...args) => {
    const [, , A, , , B, , , , dx, , , nb, Cg, g] = args;
    if (!(A instanceof Float32Array && B instanceof Float32Array && dx instanceof Float32Array)) {
      fallback.fold(...args);
      return;
    }
    const L = g.OH * g.OW;
    const CKK = Cg * g.kh * g.kw;
    if (CKK <= 0 || nb * L <= 0) return;
    if (directGradInput(e, ...args)) return;
    foldByBlocks(foldBlock, ...args);
  };
  /** One block of images through sgemm + col2im (all arrays float32, sizes positive). */
  const foldBlock = (...args: Parameters<SgemmFoldKernel>): void => {
    const [transA, K, A, offA, lda, B, offB, ldb, ldi, dx, dxOff, imageStride, nb, Cg, g] = args as F32<
      Parameters<SgemmFoldKernel>
    >;
    const { H, W, OH, OW, kh, kw } = g;
    const L = OH * OW;
    const NL = nb * L;
    const CKK = Cg * kh * kw;
    const image = Cg * H * W;
    const spanA = transA ? span(K, CKK, lda) : span(CKK, K, lda);
    const pA = e.dataStart;
    const pB = align16(pA + 4 * spanA);
    const pP = align16(pB + 4 * K * NL);
    const pX = align16(pP + 4 * CKK * NL);
    const pStage = align16(pX + 4 * nb * image);
    const f32 = e.ensure(pStage + 4 * imageSpan(K, nb, L, ldb, ldi) - pA);
    f32.set(A.subarray(offA, offA + spanA), pA >> 2);
    gatherImageRows(ex, f32, B, offB, ldb, ldi, K, nb, L, pB, pStage);
    e.sgemm(transA, false, CKK, NL, K, 1, pA, lda, pB, NL, 0, pP, NL);
    for (let i = 0; i < nb; i++) {
      const at = dxOff + i * imageStride;
      f32.set(dx.subarray(at, at + image), (pX >> 2) + i * image);
      ex.col2im(
        pP + 4 * i * L,
        Cg,
        H,
        W,
        OH,
        OW,
        kh,
        kw,
        g.sh,
        g.sw,
        g.ph,
        g.pw,
        g.dh,
        g.dw,
        pX + 4 * i * image,
        NL,
      );
      dx.set(f32.subarray((pX >> 2) + i * image, (pX >> 2) + (i + 1) * image), at);
    }
  };
  return { unfold, fold };
}
