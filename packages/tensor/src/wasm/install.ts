// Installs the WebAssembly kernels behind the kernel registry at import time, when the engine
// validates WebAssembly SIMD (relaxed SIMD preferred); otherwise the plain-TypeScript reference
// kernels stay. TSDL_KERNELS=js in the environment keeps the reference (for comparisons).
import { referenceKernels, setKernel } from '../kernels.js';
import { createWasmActivations } from './wasm-activations.js';
import { createWasmAdam, createWasmAdamMoments } from './wasm-adam.js';
import { createWasmBatchNorm } from './wasm-batch-norm.js';
import { createWasmConvGemms } from './wasm-conv-gemm.js';
import { createWasmElementwise } from './wasm-elementwise.js';
import { createWasmCol2im, createWasmIm2col } from './wasm-im2col.js';
import { bestVariant } from './wasm-module.js';
import { createWasmMaxPool2d, createWasmMaxPool2dGrad } from './wasm-pool.js';
import { createWasmSgemm } from './wasm-sgemm.js';

export type KernelBackend = 'wasm-relaxed-simd' | 'wasm-simd' | 'js';

let backend: KernelBackend = 'js';

/** Which sgemm implementation the ops call. */
export function kernelBackend(): KernelBackend {
  return backend;
}

function install(): void {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (env?.TSDL_KERNELS === 'js') return;
  const variant = bestVariant();
  if (!variant) return;
  const sgemm = createWasmSgemm(variant, referenceKernels.sgemm);
  if (!sgemm) return;
  setKernel('sgemm', sgemm);
  const im2col = createWasmIm2col(variant, referenceKernels.im2col);
  if (im2col) setKernel('im2col', im2col);
  const col2im = createWasmCol2im(variant, referenceKernels.col2im);
  if (col2im) setKernel('col2im', col2im);
  // The other kernels use no fused multiply-add: the plain build carries them (see build-wasm.mjs).
  const plain = 'simd';
  const maxPool2d = createWasmMaxPool2d(plain, referenceKernels.maxPool2d);
  if (maxPool2d) setKernel('maxPool2d', maxPool2d);
  const maxPool2dGrad = createWasmMaxPool2dGrad(plain, referenceKernels.maxPool2dGrad);
  if (maxPool2dGrad) setKernel('maxPool2dGrad', maxPool2dGrad);
  const conv = createWasmConvGemms(variant, {
    unfold: referenceKernels.sgemmUnfold,
    fold: referenceKernels.sgemmFold,
  });
  if (conv) {
    setKernel('sgemmUnfold', conv.unfold);
    setKernel('sgemmFold', conv.fold);
  }
  const adam = createWasmAdam(plain);
  if (adam) setKernel('adam', adam);
  const moments = createWasmAdamMoments(plain);
  if (moments) setKernel('adamMoments', moments);
  const act = createWasmActivations(plain);
  if (act) {
    setKernel('sigmoid', act.sigmoid);
    setKernel('tanh', act.tanh);
    setKernel('lstmCell', act.lstmCell);
    setKernel('gruCell', act.gruCell);
    setKernel('lstmCellGrad', act.lstmCellGrad);
    setKernel('gruCellGrad', act.gruCellGrad);
  }
  const bn = createWasmBatchNorm(plain);
  if (bn) {
    setKernel('channelSums', bn.channelSums);
    setKernel('batchNormMoments', bn.batchNormMoments);
    setKernel('batchNormApply', bn.batchNormApply);
    setKernel('batchNormGrad', bn.batchNormGrad);
  }
  const ew = createWasmElementwise(plain);
  if (ew) {
    setKernel('binaryF32', ew.binaryF32);
    setKernel('scalarF32', ew.scalarF32);
    setKernel('relu', ew.relu);
    setKernel('reluGrad', ew.reluGrad);
    setKernel('colSumsF32', ew.colSumsF32);
  }
  backend = variant === 'relaxed' ? 'wasm-relaxed-simd' : 'wasm-simd';
}

install();
