// JS side of the WebAssembly batch-norm kernels (assembly/batch-norm.ts): x (and dy) are copied into
// linear memory whole — a channel's values are spread over every image, and its sums must run in
// storage order — the kernel runs there and the output is copied back. Its own instance; the arena
// grows to the largest input seen and is reused. Float64 (or integer) data goes to the reference.
import {
  type BatchNormApplyKernel,
  type BatchNormGradKernel,
  type BatchNormMomentsKernel,
  type ChannelSumsKernel,
  referenceKernels,
} from '../kernels.js';
import type { WasmVariant } from './wasm-module.js';
import { align16, instantiateKernel } from './wasm-sgemm.js';

interface BatchNormExports {
  memory?: WebAssembly.Memory;
  heapBase(): number;
  bnMoments(x: number, n: number, c: number, s: number, mean: number, biasedVar: number): void;
  channelSums(x: number, n: number, c: number, s: number, out: number): void;
  bnApply(x: number, n: number, c: number, s: number, scale: number, shift: number, out: number): void;
  bnGrad(
    dy: number,
    x: number,
    n: number,
    c: number,
    s: number,
    mean: number,
    invStd: number,
    weight: number,
    dx: number,
    sums: number,
    training: number,
  ): void;
}

export interface BatchNormKernels {
  channelSums: ChannelSumsKernel;
  batchNormMoments: BatchNormMomentsKernel;
  batchNormApply: BatchNormApplyKernel;
  batchNormGrad: BatchNormGradKernel;
}

/** The four kernels on one instance of `variant`; null if the engine lacks it. */
export function createWasmBatchNorm(variant: WasmVariant): BatchNormKernels | null {
  const k = instantiateKernel<BatchNormExports>(variant, 'bnMoments');
  if (!k) return null;
  const { ex, arena } = k;
  const ref = referenceKernels;
  /**
   * Lays out `counts` regions (float32 elements, or float64 ones for the per-channel vectors) from
   * the arena's start; returns their byte pointers and the memory's current views.
   */
  const layout = (f32Counts: number[], f64Counts: number[]) => {
    const ptrs: number[] = [];
    let p = arena.dataStart;
    for (const n of f64Counts) {
      ptrs.push(p);
      p = align16(p + 8 * n);
    }
    for (const n of f32Counts) {
      ptrs.push(p);
      p = align16(p + 4 * n);
    }
    const f32 = arena.ensure(p - arena.dataStart);
    return { ptrs, f32, f64: new Float64Array(f32.buffer) };
  };
  return {
    channelSums: (x, n, c, s, out) => {
      if (!(x instanceof Float32Array) || n * c * s === 0) return ref.channelSums(x, n, c, s, out);
      const size = n * c * s;
      const { ptrs, f32, f64 } = layout([size], [c]);
      const [pOut, pX] = ptrs as [number, number];
      f32.set(x.subarray(0, size), pX >> 2);
      ex.channelSums(pX, n, c, s, pOut);
      out.set(f64.subarray(pOut >> 3, (pOut >> 3) + c));
    },
    batchNormMoments: (x, n, c, s, mean, biasedVar) => {
      if (!(x instanceof Float32Array) || n * c * s === 0)
        return ref.batchNormMoments(x, n, c, s, mean, biasedVar);
      const size = n * c * s;
      const { ptrs, f32, f64 } = layout([size], [c, c]);
      const [pMean, pVar, pX] = ptrs as [number, number, number];
      f32.set(x.subarray(0, size), pX >> 2);
      ex.bnMoments(pX, n, c, s, pMean, pVar);
      mean.set(f64.subarray(pMean >> 3, (pMean >> 3) + c));
      biasedVar.set(f64.subarray(pVar >> 3, (pVar >> 3) + c));
    },
    batchNormApply: (x, n, c, s, scale, shift, out) => {
      if (!(x instanceof Float32Array && out instanceof Float32Array) || n * c * s === 0)
        return ref.batchNormApply(x, n, c, s, scale, shift, out);
      const size = n * c * s;
      const { ptrs, f32, f64 } = layout([size], [c, c]);
      const [pScale, pShift, pX] = ptrs as [number, number, number];
      f64.set(scale.subarray(0, c), pScale >> 3);
      f64.set(shift.subarray(0, c), pShift >> 3);
      f32.set(x.subarray(0, size), pX >> 2);
      ex.bnApply(pX, n, c, s, pScale, pShift, pX); // in place: each element is read before it is written
      out.set(f32.subarray(pX >> 2, (pX >> 2) + size));
    },
    batchNormGrad: (dy, x, n, c, s, mean, invStd, weight, dx, sums, training) => {
      if (
        !(dy instanceof Float32Array && x instanceof Float32Array && dx instanceof Float32Array) ||
        n * c * s === 0
      )
        return ref.batchNormGrad(dy, x, n, c, s, mean, invStd, weight, dx, sums, training);
      const size = n * c * s;
      const { ptrs, f32, f64 } = layout([size, size], [c, c, c, 2 * c]);
      const [pMean, pInv, pW, pSums, pDy, pX] = ptrs as [number, number, number, number, number, number];
      for (let ch = 0; ch < c; ch++) {
        f64[(pMean >> 3) + ch] = mean[ch]!;
        f64[(pInv >> 3) + ch] = invStd[ch]!;
        if (weight) f64[(pW >> 3) + ch] = weight[ch]!;
      }
      f32.set(dy.subarray(0, size), pDy >> 2);
      f32.set(x.subarray(0, size), pX >> 2);
      ex.bnGrad(pDy, pX, n, c, s, pMean, pInv, weight ? pW : 0, pDy, pSums, +training); // dx over dy, in place
      dx.set(f32.subarray(pDy >> 2, (pDy >> 2) + size));
      sums.set(f64.subarray(pSums >> 3, (pSums >> 3) + 2 * c));
    },
  };
}
