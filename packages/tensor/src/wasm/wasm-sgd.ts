// JS side of the WebAssembly SGD update: w, g and the momentum buffer go through linear memory in
// chunks that stay in cache (copy in, update, copy w and the buffer out). Its own instance and arena.
import type { SgdKernel } from '../kernels.js';
import type { WasmVariant } from './wasm-module.js';
import { instantiateKernel } from './wasm-sgemm.js';

interface SgdExports {
  memory?: WebAssembly.Memory;
  heapBase(): number;
  sgdStep(
    w: number,
    g: number,
    b: number,
    n: number,
    wd: number,
    mom: number,
    oneMinusDamp: number,
    negLr: number,
    flags: number,
  ): void;
}

/** Elements per chunk: 3 arrays × 32 KB, within L2. */
const CHUNK = 8192;

/** The SGD kernel on its own instance of `variant`; null if the engine lacks it. */
export function createWasmSgd(variant: WasmVariant): { sgd: SgdKernel } | null {
  const k = instantiateKernel<SgdExports>(variant, 'sgdStep');
  if (!k) return null;
  const { ex, arena } = k;
  const pW = arena.dataStart;
  const pG = pW + 4 * CHUNK;
  const pB = pG + 4 * CHUNK;
  const f32 = arena.ensure(12 * CHUNK);
  const sgd: SgdKernel = (w, g, buf, s) => {
    const flags = (buf ? 1 : 0) | (s.first ? 2 : 0) | (s.nesterov ? 4 : 0);
    for (let i0 = 0; i0 < w.length; i0 += CHUNK) {
      const n = Math.min(CHUNK, w.length - i0);
      const i1 = i0 + n;
      f32.set(w.subarray(i0, i1), pW >> 2);
      f32.set(g.subarray(i0, i1), pG >> 2);
      if (buf && !s.first) f32.set(buf.subarray(i0, i1), pB >> 2);
      ex.sgdStep(pW, pG, pB, n, s.weightDecay, s.momentum, s.oneMinusDampening, s.negLr, flags);
      w.set(f32.subarray(pW >> 2, (pW >> 2) + n), i0);
      if (buf) buf.set(f32.subarray(pB >> 2, (pB >> 2) + n), i0);
    }
  };
  return { sgd };
}
