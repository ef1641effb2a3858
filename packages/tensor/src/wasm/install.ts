// Installs the WebAssembly kernels behind the kernel registry at import time, when the engine
// validates WebAssembly SIMD (relaxed SIMD preferred); otherwise the plain-TypeScript reference
// kernels stay. TSDL_KERNELS=js in the environment keeps the reference (for comparisons).
import { type Kernels, referenceKernels, setKernel } from '../kernels.js';
import { createWasmActivations } from './wasm-activations.js';
import { createWasmAdam, createWasmAdamMoments } from './wasm-adam.js';
import { createWasmBatchNorm } from './wasm-batch-norm.js';
import { createWasmConvGemms } from './wasm-conv-gemm.js';
import { createWasmElementwise } from './wasm-elementwise.js';
import { createWasmCol2im, createWasmIm2col } from './wasm-im2col.js';
import { bestVariant } from './wasm-module.js';
import { createWasmMaxPool2d, createWasmMaxPool2dGrad } from './wasm-pool.js';
import { createWasmSgd } from './wasm-sgd.js';
import { createWasmSgemm } from './wasm-sgemm.js';

export type KernelBackend = 'wasm-relaxed-simd' | 'wasm-simd' | 'js';

let backend: KernelBackend = 'js';

/** Which sgemm implementation the ops call. */
export function kernelBackend(): KernelBackend {
  return backend;
}

/** Installs every kernel of a group the engine has (null: none, the references stay). */
function setKernels(group: Partial<Kernels> | null): void {
  if (!group) return;
  for (const name of Object.keys(group) as (keyof Kernels)[]) setKernel(name, group[name] as never);
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
  // Each group's keys are the registry's names.
  setKernels(createWasmActivations(plain));
  setKernels(createWasmBatchNorm(plain));
  setKernels(createWasmElementwise(plain));
  setKernels(createWasmSgd(plain));
  backend = variant === 'relaxed' ? 'wasm-relaxed-simd' : 'wasm-simd';
}

install();
