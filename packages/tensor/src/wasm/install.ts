// Installs the WebAssembly kernels behind the kernel registry at import time, when the engine
// validates WebAssembly SIMD (relaxed SIMD preferred); otherwise the plain-TypeScript reference
// kernels stay. TSDL_KERNELS=js in the environment keeps the reference (for comparisons).
import { referenceKernels, setKernel } from '../kernels.js';
import { bestVariant } from './wasm-module.js';
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
  backend = variant === 'relaxed' ? 'wasm-relaxed-simd' : 'wasm-simd';
}

install();
