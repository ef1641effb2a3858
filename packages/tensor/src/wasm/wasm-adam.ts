// JS side of the WebAssembly Adam update: the four arrays go through linear memory in chunks that
// stay in cache (copy in, update, copy w/m/v out), so the arrays are streamed once and the arena
// stays small. Its own instance and arena.
import type { AdamKernel } from '../kernels.js';
import type { WasmVariant } from './wasm-module.js';
import { instantiateKernel } from './wasm-sgemm.js';

interface AdamExports {
  memory?: WebAssembly.Memory;
  heapBase(): number;
  adamStep(
    w: number,
    g: number,
    m: number,
    v: number,
    n: number,
    b1: number,
    b2: number,
    oneMinusB1: number,
    oneMinusB2: number,
    negStepSize: number,
    bc2Sqrt: number,
    eps: number,
  ): void;
}

/** Elements per chunk: 4 arrays × 32 KB, within L2. */
const CHUNK = 8192;

/** The Adam kernel on its own instance of `variant`; null if the engine lacks it. */
export function createWasmAdam(variant: WasmVariant): AdamKernel | null {
  const k = instantiateKernel<AdamExports>(variant, 'adamStep');
  if (!k) return null;
  const { ex, arena } = k;
  const pW = arena.dataStart;
  const pG = pW + 4 * CHUNK;
  const pM = pG + 4 * CHUNK;
  const pV = pM + 4 * CHUNK;
  arena.ensure(16 * CHUNK);
  return (w, g, m, v, s) => {
    const f32 = arena.f32;
    for (let i0 = 0; i0 < w.length; i0 += CHUNK) {
      const n = Math.min(CHUNK, w.length - i0);
      const i1 = i0 + n;
      f32.set(w.subarray(i0, i1), pW >> 2);
      f32.set(g.subarray(i0, i1), pG >> 2);
      f32.set(m.subarray(i0, i1), pM >> 2);
      f32.set(v.subarray(i0, i1), pV >> 2);
      ex.adamStep(pW, pG, pM, pV, n, s.b1, s.b2, s.oneMinusB1, s.oneMinusB2, s.negStepSize, s.bc2Sqrt, s.eps);
      w.set(f32.subarray(pW >> 2, (pW >> 2) + n), i0);
      m.set(f32.subarray(pM >> 2, (pM >> 2) + n), i0);
      v.set(f32.subarray(pV >> 2, (pV >> 2) + n), i0);
    }
  };
}
