// JS side of the WebAssembly im2col: copies one image's channels into linear memory (small next to
// the column matrix), unfolds there, copies the column block out. Its own instance and arena, so
// it never disturbs the sgemm's. Float64 arrays go to the fallback.
import type { Im2colKernel } from '../kernels.js';
import { Arena, align16, wasmImports } from './wasm-sgemm.js';
import { type WasmVariant, wasmModule } from './wasm-module.js';

/** What assembly/im2col.ts exports (besides the sgemm's exports in the same module). */
interface Im2colExports {
  memory?: WebAssembly.Memory;
  heapBase(): number;
  im2col(
    x: number,
    C: number,
    H: number,
    W: number,
    OH: number,
    OW: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    ph: number,
    pw: number,
    dh: number,
    dw: number,
    col: number,
  ): void;
}

/** An im2col on its own instance of `variant`; null if the engine lacks it. */
export function createWasmIm2col(variant: WasmVariant, fallback: Im2colKernel): Im2colKernel | null {
  const mod = wasmModule(variant);
  if (!mod) return null;
  const ex = new WebAssembly.Instance(mod, wasmImports()).exports as unknown as Im2colExports;
  if (typeof ex.im2col !== 'function') return null;
  const arena = new Arena(ex.memory!, align16(ex.heapBase()));
  arena.ensure(0);
  return (x, xOff, C, g, col, colOff = 0, ldcol = g.OH * g.OW) => {
    if (!(x instanceof Float32Array && col instanceof Float32Array)) {
      fallback(x, xOff, C, g, col, colOff, ldcol);
      return;
    }
    const { H, W, OH, OW, kh, kw } = g;
    const size = C * H * W;
    const L = OH * OW;
    const rows = C * kh * kw;
    const pX = arena.dataStart;
    const pCol = align16(pX + 4 * size);
    const f32 = arena.ensure(pCol + 4 * rows * L - pX);
    f32.set(x.subarray(xOff, xOff + size), pX >> 2);
    ex.im2col(pX, C, H, W, OH, OW, kh, kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, pCol);
    const c0 = pCol >> 2;
    if (ldcol === L) col.set(f32.subarray(c0, c0 + rows * L), colOff);
    else for (let r = 0; r < rows; r++) col.set(f32.subarray(c0 + r * L, c0 + (r + 1) * L), colOff + r * ldcol);
  };
}
