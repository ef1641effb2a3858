// JS side of the WebAssembly max pooling: copies the planes in, pools, copies values (and argmax)
// out; its own instance and arena. Float64 arrays go to the fallback.
import type { MaxPool2dGradKernel, MaxPool2dKernel } from '../kernels.js';
import type { WasmVariant } from './wasm-module.js';
import { align16, instantiateKernel } from './wasm-sgemm.js';

/** What assembly/pool.ts exports (besides the rest of the module). */
interface PoolExports {
  memory?: WebAssembly.Memory;
  heapBase(): number;
  maxPool2d(
    x: number,
    planes: number,
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
    out: number,
    argmax: number,
  ): void;
  maxPool2dGrad(dy: number, argmax: number, planes: number, n: number, HW: number, dx: number): number;
}

/** A maxPool2d on its own instance of `variant`; null if the engine lacks it. */
export function createWasmMaxPool2d(variant: WasmVariant, fallback: MaxPool2dKernel): MaxPool2dKernel | null {
  const k = instantiateKernel<PoolExports>(variant, 'maxPool2d');
  if (!k) return null;
  const { ex, arena } = k;
  return (x, planes, g, out, argmax) => {
    if (!(x instanceof Float32Array && out instanceof Float32Array)) {
      fallback(x, planes, g, out, argmax);
      return;
    }
    const { H, W, OH, OW } = g;
    const n = planes * OH * OW;
    const pX = arena.dataStart;
    const pOut = align16(pX + 4 * planes * H * W);
    const pArg = align16(pOut + 4 * n);
    const f32 = arena.ensure(pArg + (argmax ? 4 * n : 0) - pX);
    f32.set(x.subarray(0, planes * H * W), pX >> 2);
    ex.maxPool2d(
      pX,
      planes,
      H,
      W,
      OH,
      OW,
      g.kh,
      g.kw,
      g.sh,
      g.sw,
      g.ph,
      g.pw,
      g.dh,
      g.dw,
      pOut,
      argmax ? pArg : 0,
    );
    out.set(f32.subarray(pOut >> 2, (pOut >> 2) + n));
    if (argmax) argmax.set(new Int32Array(f32.buffer, pArg, n));
  };
}

/**
 * Max pooling's backward on its own instance of `variant` (dy and argmax copied in, dx zeroed and
 * scattered into there, copied out); null if the engine lacks it. Float64 goes to the fallback.
 */
export function createWasmMaxPool2dGrad(
  variant: WasmVariant,
  fallback: MaxPool2dGradKernel,
): MaxPool2dGradKernel | null {
  const k = instantiateKernel<PoolExports>(variant, 'maxPool2dGrad');
  if (!k) return null;
  const { ex, arena } = k;
  return (dy, argmax, planes, n, HW, dx) => {
    if (!(dy instanceof Float32Array && dx instanceof Float32Array))
      return fallback(dy, argmax, planes, n, HW, dx);
    const outs = planes * n;
    const pDy = arena.dataStart;
    const pArg = align16(pDy + 4 * outs);
    const pDx = align16(pArg + 4 * outs);
    const f32 = arena.ensure(pDx + 4 * planes * HW - pDy);
    f32.set(dy.subarray(0, outs), pDy >> 2);
    new Int32Array(f32.buffer, pArg, outs).set(argmax.subarray(0, outs));
    const bad = ex.maxPool2dGrad(pDy, pArg, planes, n, HW, pDx);
    dx.set(f32.subarray(pDx >> 2, (pDx >> 2) + planes * HW));
    return bad;
  };
}
