// JS side of the WebAssembly Adam update: the four arrays go through linear memory in chunks that
// stay in cache (copy in, update, copy w/m/v out), so the arrays are streamed once and the arena
// stays small. Its own instance and arena.
//
// Moments from `adamMoments` live in linear memory already: each such pair gets an instance of its
// own, sized once and never grown (so the views stay valid), and the update copies only w and g in
// and w out — four copies of the parameter's size fewer per step.
import type { AdamKernel, AdamMomentsKernel, AdamScalars } from '../kernels.js';
import { type WasmVariant, wasmModule } from './wasm-module.js';
import { align16, instantiateKernel } from './wasm-sgemm.js';

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

/** Moments smaller than this stay plain arrays: an instance's memory is 64 KB at least. */
const RESIDENT_MIN = CHUNK;

/** An instance holding one parameter's moments at pM, pV (n floats each) and w/g chunks at pW, pG. */
interface Resident {
  ex: AdamExports;
  f32: Float32Array;
  n: number;
  pW: number;
  pG: number;
  pM: number;
  pV: number;
}

/** Keyed by the instance memory's buffer, which a moment array's `.buffer` is. */
const residents = new WeakMap<ArrayBufferLike, Resident>();

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
    const r = residents.get(m.buffer);
    if (r && v.buffer === m.buffer && m.byteOffset === r.pM && v.byteOffset === r.pV && w.length === r.n)
      update(r.ex, r.f32, r.pW, r.pG, r.pM, r.pV, true, w, g, m, v, s);
    else update(ex, arena.f32, pW, pG, pM, pV, false, w, g, m, v, s);
  };
}

/**
 * One Adam step of w in chunks through an instance's memory: w and g copied to pW, pG; the moments
 * read in place at pM, pV (`resident`: all of them live there) or copied in and out chunk by chunk.
 */
function update(
  ex: AdamExports,
  f32: Float32Array,
  pW: number,
  pG: number,
  pM: number,
  pV: number,
  resident: boolean,
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  s: AdamScalars,
): void {
  for (let i0 = 0; i0 < w.length; i0 += CHUNK) {
    const n = Math.min(CHUNK, w.length - i0);
    const i1 = i0 + n;
    f32.set(w.subarray(i0, i1), pW >> 2);
    f32.set(g.subarray(i0, i1), pG >> 2);
    if (!resident) {
      f32.set(m.subarray(i0, i1), pM >> 2);
      f32.set(v.subarray(i0, i1), pV >> 2);
    }
    const at = resident ? 4 * i0 : 0;
    ex.adamStep(
      pW,
      pG,
      pM + at,
      pV + at,
      n,
      s.b1,
      s.b2,
      s.oneMinusB1,
      s.oneMinusB2,
      s.negStepSize,
      s.bc2Sqrt,
      s.eps,
    );
    w.set(f32.subarray(pW >> 2, (pW >> 2) + n), i0);
    if (!resident) {
      m.set(f32.subarray(pM >> 2, (pM >> 2) + n), i0);
      v.set(f32.subarray(pV >> 2, (pV >> 2) + n), i0);
    }
  }
}

/** adamMoments placing each pair (from RESIDENT_MIN elements) in an Adam instance of its own. */
export function createWasmAdamMoments(variant: WasmVariant): AdamMomentsKernel | null {
  // (the module's export list says whether it has the kernel; no instance needed until moments are)
  const mod = wasmModule(variant);
  if (!mod || !WebAssembly.Module.exports(mod).some((e) => e.name === 'adamStep')) return null;
  return (n) => {
    const k = n >= RESIDENT_MIN ? instantiateKernel<AdamExports>(variant, 'adamStep') : null;
    if (!k) return { m: new Float32Array(n), v: new Float32Array(n) };
    const { ex, arena } = k;
    const pW = arena.dataStart;
    const pG = pW + 4 * CHUNK;
    const pM = pG + 4 * CHUNK;
    const pV = align16(pM + 4 * n);
    // Grown once, here: a later grow would detach the moment views.
    const f32 = arena.ensure(pV + 4 * n - pW);
    const r: Resident = { ex, f32, n, pW, pG, pM, pV };
    residents.set(f32.buffer, r);
    return { m: new Float32Array(f32.buffer, pM, n), v: new Float32Array(f32.buffer, pV, n) };
  };
}
