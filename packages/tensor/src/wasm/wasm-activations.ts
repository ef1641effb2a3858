// JS side of the WebAssembly float32 sigmoid/tanh (assembly/activations.ts): values go through
// linear memory in cache-sized chunks, in place there. One instance and arena for both.
import {
  type Float32MapKernel,
  type GruCellGradKernel,
  type GruCellKernel,
  type LstmCellGradKernel,
  type LstmCellKernel,
  referenceKernels,
} from '../kernels.js';
import type { ElementwiseExports } from './wasm-elementwise.js';
import type { WasmVariant } from './wasm-module.js';
import { instantiateKernel } from './wasm-sgemm.js';

interface ActivationExports {
  memory?: WebAssembly.Memory;
  heapBase(): number;
  sigmoidF32(x: number, out: number, n: number): void;
  tanhF32(x: number, out: number, n: number): void;
  lstmCellF32(
    xp: number,
    hp: number,
    c: number,
    gates: number,
    tanhC: number,
    out: number,
    n: number,
    h: number,
  ): void;
  gruCellF32(xp: number, hp: number, hd: number, gates: number, out: number, n: number, h: number): void;
  /** From assembly/elementwise.ts (the same build): out[r, :] = a[r or 0, :] op b[r or 0, :]. */
  binaryF32: ElementwiseExports['binaryF32'];
  lstmCellGradF32(
    gates: number,
    tanhC: number,
    c: number,
    dh: number,
    dc: number,
    ld: number,
    n: number,
    h: number,
    dz: number,
    dcOut: number,
  ): void;
  gruCellGradF32(
    gates: number,
    hp: number,
    hd: number,
    d: number,
    n: number,
    h: number,
    dx: number,
    dhp: number,
    dh: number,
  ): void;
}

const CHUNK = 16384;
/** Floats of linear memory the cells' rows go through (LSTM step 16·h per row, its backward 11·h + 2·ld): 256 KB. */
const CELL_FLOATS = 4 * CHUNK;

/** The sigmoid and tanh kernels on one instance of `variant`; null if the engine lacks it. */
export function createWasmActivations(variant: WasmVariant): {
  sigmoid: Float32MapKernel;
  tanh: Float32MapKernel;
  lstmCell: LstmCellKernel;
  gruCell: GruCellKernel;
  lstmCellGrad: LstmCellGradKernel;
  gruCellGrad: GruCellGradKernel;
} | null {
  const k = instantiateKernel<ActivationExports>(variant, 'sigmoidF32');
  if (!k) return null;
  const { ex, arena } = k;
  const p = arena.dataStart;
  arena.ensure(4 * CELL_FLOATS);
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
  /**
   * A row-wise kernel over n rows, as many whole rows at a time as fit: each input's rows (`width`
   * floats each) copied in side by side, `call` given the inputs' then the outputs' byte pointers and the
   * row count, the outputs' rows copied back. False when not even one row fits.
   */
  const byRows = (
    ins: [Float32Array, number][],
    outs: [Float32Array, number][],
    n: number,
    call: (ptrs: number[], rows: number) => void,
  ): boolean => {
    const per = Math.floor(CELL_FLOATS / [...ins, ...outs].reduce((s, [, w]) => s + w, 0));
    if (per < 1) return false;
    const f32 = arena.f32;
    for (let r0 = 0; r0 < n; r0 += per) {
      const m = Math.min(per, n - r0);
      const at: number[] = [];
      let q = p >> 2;
      for (const [a, w] of ins) {
        f32.set(a.subarray(w * r0, w * (r0 + m)), q);
        at.push(q);
        q += w * m;
      }
      for (const [, w] of outs) {
        at.push(q);
        q += w * m;
      }
      call(
        at.map((x) => 4 * x),
        m,
      );
      outs.forEach(([a, w], i) => {
        const from = at[ins.length + i]!;
        a.set(f32.subarray(from, from + w * m), w * r0);
      });
    }
    return true;
  };
  // xp, hp [rows, 4h] and c [rows, h] in; gates, tanhC, out [rows, 2h] back. A bias for hp's rows
  // goes after the rows' space and is added there by the module's binaryF32 (the same f32 add).
  const lstmCell: LstmCellKernel = (xp, hp, c, n, h, gates, tanhC, out, hb) => {
    const bias = p + 4 * CELL_FLOATS;
    if (hb) arena.ensure(4 * (CELL_FLOATS + 4 * h)).set(hb.subarray(0, 4 * h), bias >> 2);
    const ok = byRows(
      [
        [xp, 4 * h],
        [hp, 4 * h],
        [c, h],
      ],
      [
        [gates, 4 * h],
        [tanhC, h],
        [out, 2 * h],
      ],
      n,
      ([x, hh, cc, g, t, o], m) => {
        if (hb) ex.binaryF32(0, hh!, hh!, 0, bias, 1, 4 * h, m);
        ex.lstmCellF32(x!, hh!, cc!, g!, t!, o!, m, h);
      },
    );
    if (!ok) referenceKernels.lstmCell(xp, hp, c, n, h, gates, tanhC, out, hb);
  };
  // xp, hp [rows, 3h] and hd [rows, h] in; gates [rows, 3h], out [rows, h] back.
  const gruCell: GruCellKernel = (xp, hp, hd, n, h, gates, out) => {
    const ok = byRows(
      [
        [xp, 3 * h],
        [hp, 3 * h],
        [hd, h],
      ],
      [
        [gates, 3 * h],
        [out, h],
      ],
      n,
      ([x, hh, d, g, o], m) => ex.gruCellF32(x!, hh!, d!, g!, o!, m, h),
    );
    if (!ok) referenceKernels.gruCell(xp, hp, hd, n, h, gates, out);
  };
  const f32s = (...a: unknown[]) => a.every((x) => x instanceof Float32Array);
  // gates [rows, 4h], tanhC, c, and dH, dC (rows ld apart from their offsets) in; dz, dc back.
  // dH/dC's last row may end short of ld: its copy then stops at the array's end, past what is read.
  const lstmCellGrad: LstmCellGradKernel = (gates, tanhC, c, dH, dhOff, dC, dcOff, ld, n, h, dz, dc) => {
    const ok =
      f32s(gates, tanhC, c, dH, dC, dz, dc) &&
      byRows(
        [
          [gates as Float32Array, 4 * h],
          [tanhC as Float32Array, h],
          [c as Float32Array, h],
          [(dH as Float32Array).subarray(dhOff), ld],
          [(dC as Float32Array).subarray(dcOff), ld],
        ],
        [
          [dz as Float32Array, 4 * h],
          [dc as Float32Array, h],
        ],
        n,
        ([g, t, cc, dh, dcIn, z, dcOut], m) =>
          ex.lstmCellGradF32(g!, t!, cc!, dh!, dcIn!, ld, m, h, z!, dcOut!),
      );
    if (!ok) referenceKernels.lstmCellGrad(gates, tanhC, c, dH, dhOff, dC, dcOff, ld, n, h, dz, dc);
  };
  // gates, hp [rows, 3h], hd, d [rows, h] in; dx, dhp [rows, 3h], dh back.
  const gruCellGrad: GruCellGradKernel = (gates, hp, hd, d, n, h, dx, dhp, dh) => {
    const ok =
      f32s(gates, hp, hd, d, dx, dhp, dh) &&
      byRows(
        [
          [gates as Float32Array, 3 * h],
          [hp as Float32Array, 3 * h],
          [hd as Float32Array, h],
          [d as Float32Array, h],
        ],
        [
          [dx as Float32Array, 3 * h],
          [dhp as Float32Array, 3 * h],
          [dh as Float32Array, h],
        ],
        n,
        ([g, hh, hdd, dd, x, p, o], m) => ex.gruCellGradF32(g!, hh!, hdd!, dd!, m, h, x!, p!, o!),
      );
    if (!ok) referenceKernels.gruCellGrad(gates, hp, hd, d, n, h, dx, dhp, dh);
  };
  return { sigmoid: run(ex.sigmoidF32), tanh: run(ex.tanhF32), lstmCell, gruCell, lstmCellGrad, gruCellGrad };
}
