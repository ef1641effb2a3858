// JS side of the WebAssembly float32 sigmoid/tanh (assembly/activations.ts): values go through
// linear memory in cache-sized chunks, in place there. One instance and arena for both.
import {
  type Float32MapKernel,
  type GruCellKernel,
  type LstmCellKernel,
  referenceKernels,
} from '../kernels.js';
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
}

const CHUNK = 16384;
/** Floats of linear memory the LSTM (16·h per row) and GRU (11·h) steps' rows go through: 256 KB. */
const CELL_FLOATS = 4 * CHUNK;

/** The sigmoid and tanh kernels on one instance of `variant`; null if the engine lacks it. */
export function createWasmActivations(variant: WasmVariant): {
  sigmoid: Float32MapKernel;
  tanh: Float32MapKernel;
  lstmCell: LstmCellKernel;
  gruCell: GruCellKernel;
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
  // As many whole rows as fit: xp, hp [rows, 4h] and c [rows, h] in; gates, tanhC, out back.
  const lstmCell: LstmCellKernel = (xp, hp, c, n, h, gates, tanhC, out) => {
    const per = Math.floor(CELL_FLOATS / (16 * h));
    if (per < 1) return referenceKernels.lstmCell(xp, hp, c, n, h, gates, tanhC, out);
    const f32 = arena.f32;
    const q = p >> 2;
    for (let r0 = 0; r0 < n; r0 += per) {
      const m = Math.min(per, n - r0);
      const [g4, g1] = [4 * h * m, h * m];
      const [qx, qh, qc, qg, qt, qo] = [
        q,
        q + g4,
        q + 2 * g4,
        q + 2 * g4 + g1,
        q + 3 * g4 + g1,
        q + 3 * g4 + 2 * g1,
      ];
      f32.set(xp.subarray(4 * h * r0, 4 * h * r0 + g4), qx);
      f32.set(hp.subarray(4 * h * r0, 4 * h * r0 + g4), qh);
      f32.set(c.subarray(h * r0, h * r0 + g1), qc);
      ex.lstmCellF32(4 * qx, 4 * qh, 4 * qc, 4 * qg, 4 * qt, 4 * qo, m, h);
      gates.set(f32.subarray(qg, qg + g4), 4 * h * r0);
      tanhC.set(f32.subarray(qt, qt + g1), h * r0);
      out.set(f32.subarray(qo, qo + 2 * g1), 2 * h * r0);
    }
  };
  // The same for a GRU step: xp, hp [rows, 3h] and hd [rows, h] in; gates [rows, 3h], out [rows, h] back.
  const gruCell: GruCellKernel = (xp, hp, hd, n, h, gates, out) => {
    const per = Math.floor(CELL_FLOATS / (11 * h));
    if (per < 1) return referenceKernels.gruCell(xp, hp, hd, n, h, gates, out);
    const f32 = arena.f32;
    const q = p >> 2;
    for (let r0 = 0; r0 < n; r0 += per) {
      const m = Math.min(per, n - r0);
      const [g3, g1] = [3 * h * m, h * m];
      const [qx, qh, qd, qg, qo] = [q, q + g3, q + 2 * g3, q + 2 * g3 + g1, q + 3 * g3 + g1];
      f32.set(xp.subarray(3 * h * r0, 3 * h * r0 + g3), qx);
      f32.set(hp.subarray(3 * h * r0, 3 * h * r0 + g3), qh);
      f32.set(hd.subarray(h * r0, h * r0 + g1), qd);
      ex.gruCellF32(4 * qx, 4 * qh, 4 * qd, 4 * qg, 4 * qo, m, h);
      gates.set(f32.subarray(qg, qg + g3), 3 * h * r0);
      out.set(f32.subarray(qo, qo + g1), h * r0);
    }
  };
  return { sigmoid: run(ex.sigmoidF32), tanh: run(ex.tanhF32), lstmCell, gruCell };
}
