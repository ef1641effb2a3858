// JS side of the WebAssembly sgemm: copies the operands into linear memory (one arena, grown on
// demand and reused, so the hot path allocates nothing), runs the kernel, copies C back.
// Float64 inputs go to the fallback (the reference kernel accumulates in double).
import type { FloatArray, SgemmKernel } from '../kernels.js';
import { type WasmVariant, wasmModule } from './wasm-module.js';

/** What assembly/sgemm.ts exports. */
export interface SgemmExports {
  memory?: WebAssembly.Memory;
  sgemm(
    transA: number,
    transB: number,
    M: number,
    N: number,
    K: number,
    alpha: number,
    A: number,
    lda: number,
    B: number,
    ldb: number,
    beta: number,
    C: number,
    ldc: number,
    Ap: number,
    Bp: number,
  ): void;
  packABytes(): number;
  packBBytes(): number;
  heapBase(): number;
  tileRows(): number;
  tileCols(): number;
}

const PAGE = 65536;
export const align16 = (n: number): number => (n + 15) & ~15;

export const wasmImports = (memory?: WebAssembly.Memory): WebAssembly.Imports => ({
  env: {
    ...(memory ? { memory } : {}),
    abort: () => {
      throw new Error('sgemm: WebAssembly kernel aborted');
    },
  },
});

/** Elements of the stored rows×cols matrix at row stride ld that op(X) touches. */
export const span = (rows: number, cols: number, ld: number): number => (rows - 1) * ld + cols;

/**
 * Linear memory of one instance: [static | packA | packB | operands…]. Operand space is grown
 * with memory.grow and never shrunk; views are refreshed when the buffer changes.
 */
export class Arena {
  f32: Float32Array;
  constructor(
    readonly memory: WebAssembly.Memory,
    readonly dataStart: number,
  ) {
    this.f32 = new Float32Array(memory.buffer);
  }
  /** Makes [0, dataStart + bytes) addressable; returns the (possibly new) f32 view. */
  ensure(bytes: number): Float32Array {
    const need = this.dataStart + bytes;
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / PAGE));
    if (this.f32.buffer !== this.memory.buffer || this.f32.length * 4 < need)
      this.f32 = new Float32Array(this.memory.buffer);
    return this.f32;
  }
}

/**
 * A private instance of `variant` whose module exports `fn`, with an arena starting after the
 * module's static data; null when the engine lacks the variant or the build lacks the kernel.
 */
export function instantiateKernel<E extends { memory?: WebAssembly.Memory; heapBase(): number }>(
  variant: WasmVariant,
  fn: string,
): { ex: E; arena: Arena } | null {
  const mod = wasmModule(variant);
  if (!mod) return null;
  const ex = new WebAssembly.Instance(mod, wasmImports()).exports as unknown as E;
  if (typeof (ex as unknown as Record<string, unknown>)[fn] !== 'function') return null;
  const arena = new Arena(ex.memory!, align16(ex.heapBase()));
  arena.ensure(0);
  return { ex, arena };
}

/** Copies C's M×N block (row stride ldc) to/from compact rows at element index p. */
export function copyCIn(
  f32: Float32Array,
  p: number,
  C: Float32Array,
  offC: number,
  M: number,
  N: number,
  ldc: number,
) {
  if (ldc === N) f32.set(C.subarray(offC, offC + M * N), p);
  else for (let i = 0; i < M; i++) f32.set(C.subarray(offC + i * ldc, offC + i * ldc + N), p + i * N);
}
export function copyCOut(
  f32: Float32Array,
  p: number,
  C: Float32Array,
  offC: number,
  M: number,
  N: number,
  ldc: number,
) {
  if (ldc === N) C.set(f32.subarray(p, p + M * N), offC);
  else for (let i = 0; i < M; i++) C.set(f32.subarray(p + i * N, p + i * N + N), offC + i * ldc);
}

/** Plan of one call: where A, B, C go in the arena, and how many operand bytes that takes. */
export interface Placement {
  pA: number;
  pB: number;
  pC: number;
  spanA: number;
  spanB: number;
  bytes: number;
}

export function place(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  lda: number,
  ldb: number,
  dataStart: number,
  withAB: boolean,
): Placement {
  const spanA = withAB ? (transA ? span(K, M, lda) : span(M, K, lda)) : 0;
  const spanB = withAB ? (transB ? span(N, K, ldb) : span(K, N, ldb)) : 0;
  const pA = dataStart;
  const pB = align16(pA + 4 * spanA);
  const pC = align16(pB + 4 * spanB);
  return { pA, pB, pC, spanA, spanB, bytes: pC + 4 * M * N - dataStart };
}

/** A single-threaded sgemm on its own instance of `variant`; null if the engine lacks it. */
export function createWasmSgemm(variant: WasmVariant, fallback: SgemmKernel): SgemmKernel | null {
  const mod = wasmModule(variant);
  if (!mod) return null;
  const ex = new WebAssembly.Instance(mod, wasmImports()).exports as unknown as SgemmExports;
  const packA = align16(ex.heapBase());
  const packB = align16(packA + ex.packABytes());
  const arena = new Arena(ex.memory!, align16(packB + ex.packBBytes()));
  arena.ensure(0);

  const sgemm: SgemmKernel = (
    transA,
    transB,
    M,
    N,
    K,
    alpha,
    A,
    lda,
    B,
    ldb,
    beta,
    C,
    ldc,
    offA = 0,
    offB = 0,
    offC = 0,
  ) => {
    if (!(A instanceof Float32Array && B instanceof Float32Array && C instanceof Float32Array)) {
      fallback(transA, transB, M, N, K, alpha, A as FloatArray, lda, B, ldb, beta, C, ldc, offA, offB, offC);
      return;
    }
    if (M <= 0 || N <= 0) return;
    const withAB = K > 0 && alpha !== 0;
    const pl = place(transA, transB, M, N, K, lda, ldb, arena.dataStart, withAB);
    const f32 = arena.ensure(pl.bytes);
    if (withAB) {
      f32.set(A.subarray(offA, offA + pl.spanA), pl.pA >> 2);
      f32.set(B.subarray(offB, offB + pl.spanB), pl.pB >> 2);
    }
    if (beta !== 0) copyCIn(f32, pl.pC >> 2, C, offC, M, N, ldc);
    ex.sgemm(+transA, +transB, M, N, K, alpha, pl.pA, lda, pl.pB, ldb, beta, pl.pC, N, packA, packB);
    copyCOut(arena.f32, pl.pC >> 2, C, offC, M, N, ldc);
  };
  return sgemm;
}
