// JS side of the WebAssembly im2col / col2im: copies one image's channels (and for col2im the
// column block) into linear memory, runs the kernel there, copies the result out. Each has its own
// instance and arena, so neither disturbs the sgemm's. Float64 arrays go to the fallback.
import type { Col2imKernel, Im2colKernel } from '../kernels.js';
import type { WasmVariant } from './wasm-module.js';
import { align16, instantiateKernel } from './wasm-sgemm.js';

/** What assembly/im2col.ts exports (besides the sgemm's exports in the same module). */
export interface Im2colExports {
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
    ldcol: number,
  ): void;
  col2im(
    col: number,
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
    dx: number,
    ldcol: number,
  ): void;
}

/** An im2col on its own instance of `variant`; null if the engine lacks it. */
export function createWasmIm2col(variant: WasmVariant, fallback: Im2colKernel): Im2colKernel | null {
  const k = instantiateKernel<Im2colExports>(variant, 'im2col');
  if (!k) return null;
  const { ex, arena } = k;
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
    ex.im2col(pX, C, H, W, OH, OW, kh, kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, pCol, L);
    const c0 = pCol >> 2;
    if (ldcol === L) col.set(f32.subarray(c0, c0 + rows * L), colOff);
    else
      for (let r = 0; r < rows; r++) col.set(f32.subarray(c0 + r * L, c0 + (r + 1) * L), colOff + r * ldcol);
  };
}

/** A col2im on its own instance of `variant`; null if the engine lacks it. */
export function createWasmCol2im(variant: WasmVariant, fallback: Col2imKernel): Col2imKernel | null {
  const k = instantiateKernel<Im2colExports>(variant, 'col2im');
  if (!k) return null;
  const { ex, arena } = k;
  return (col, C, g, dx, dxOff, colOff = 0, ldcol = g.OH * g.OW) => {
    if (!(col instanceof Float32Array && dx instanceof Float32Array)) {
      fallback(col, C, g, dx, dxOff, colOff, ldcol);
      return;
    }
    const { H, W, OH, OW, kh, kw } = g;
    const size = C * H * W;
    const L = OH * OW;
    const rows = C * kh * kw;
    const pDx = arena.dataStart;
    const pCol = align16(pDx + 4 * size);
    const f32 = arena.ensure(pCol + 4 * rows * L - pDx);
    const c0 = pCol >> 2;
    if (ldcol === L) f32.set(col.subarray(colOff, colOff + rows * L), c0);
    else
      for (let r = 0; r < rows; r++)
        f32.set(col.subarray(colOff + r * ldcol, colOff + r * ldcol + L), c0 + r * L);
    f32.set(dx.subarray(dxOff, dxOff + size), pDx >> 2);
    ex.col2im(pCol, C, H, W, OH, OW, kh, kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, pDx, L);
    dx.set(f32.subarray(pDx >> 2, (pDx >> 2) + size), dxOff);
  };
}
