// JS side of the WebAssembly float32 sigmoid/tanh (assembly/activations.ts): values go through
// linear memory in cache-sized chunks, in place there. One instance and arena for both.
import type { Float32MapKernel } from '../kernels.js';
import type { WasmVariant } from './wasm-module.js';
import { instantiateKernel } from './wasm-sgemm.js';

interface ActivationExports {
  memory?: WebAssembly.Memory;
  heapBase(): number;
  sigmoidF32(x: number, out: number, n: number): void;
  tanhF32(x: number, out: number, n: number): void;
}

const CHUNK = 16384;

/** The sigmoid and tanh kernels on one instance of `variant`; null if the engine lacks it. */
export function createWasmActivations(
  variant: WasmVariant,
): { sigmoid: Float32MapKernel; tanh: Float32MapKernel } | null {
  const k = instantiateKernel<ActivationExports>(variant, 'sigmoidF32');
  if (!k) return null;
  const { ex, arena } = k;
  const p = arena.dataStart;
  arena.ensure(4 * CHUNK);
  const run =
    (fn: (x: number, out: number, n: number) => void): Float32MapKernel =>
    (x, xOff, out, outOff, n) => {
      const f32 = arena.f32;
      for (let i0 = 0; i0 < n; i0 += CHUNK) {
        const m = Math.min(CHUNK, n - i0);
        f32.set(x.subarray(xOff + i0, xOff + i0 + m), p >> 2);
        fn(p, p, m);
        out.set(f32.subarray(p >> 2, (p >> 2) + m), outOff + i0);
      }
    };
  return { sigmoid: run(ex.sigmoidF32), tanh: run(ex.tanhF32) };
}
