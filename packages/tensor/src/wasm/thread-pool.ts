// Multi-threaded sgemm: `setNumThreads(n)` starts n - 1 worker threads that share one WebAssembly
// memory with the main thread (the *Shared builds). A large product is copied into that memory once
// and cut into blocks of rows (or columns) of C at tile boundaries, four per thread; every thread — the
// main one included — claims blocks one at a time and runs the same single-threaded kernel on each
// with its own pack buffers. Claiming (not assigning) blocks means a worker that wakes late, or whose
// core is busy with another process, takes fewer blocks instead of holding the product up. Workers
// spin briefly on the job counter, then sleep in Atomics.wait; the main thread waits the same way
// for the done counter. Each C element is computed by the same micro-kernel over the same k order
// as with one thread, so results do not depend on the thread count or on who ran which block. The
// conv GEMMs (sgemmUnfold / sgemmFold) run in the same shared memory: the main thread unfolds
// (folds) there with the module's im2col (col2im) and the product is split like any other.
//
// Default is 1 thread (no workers, nothing changes). Workers need Node's worker_threads and shared
// WebAssembly memory; where either is missing setNumThreads stays at 1 and says so.

import { fail } from '../errors.js';
import {
  type FloatArray,
  kernels,
  referenceKernels,
  type SgemmFoldKernel,
  type SgemmKernel,
  type SgemmUnfoldKernel,
  setKernel,
} from '../kernels.js';
import type { ConvDirectExports } from './wasm-conv-direct.js';
import { type ConvEngine, type ConvExports, convGemms } from './wasm-conv-gemm.js';
import { bestVariant, wasmModule } from './wasm-module.js';
import { align16, copyCIn, copyCOut, place, type SgemmExports } from './wasm-sgemm.js';

const PAGE = 65536;
const MAX_PAGES = 16384; // the shared builds' declared maximum (1 GiB)
/**
 * Below this many multiply-adds (~160³) a product stays on one thread: handing work to a spinning
 * worker costs tens of µs, more when the cores are shared (a 128³ product ran 2× slower split on a
 * busy 2-core VM). While the workers sleep (no split product for SPIN_MS) the bar is MIN_WORK_COLD:
 * waking one costs 0.1–0.3 ms, about what splitting a 2²²-multiply-add product saves (it takes ~0.25 ms
 * on one thread), and LeNet's 4.8M-multiply-add linear layer, split with the worker asleep, made the
 * 2-thread training step slower than the 1-thread one.
 */
const MIN_WORK = 1 << 22;
const MIN_WORK_COLD = 1 << 23;
const SPIN = 20000;
/**
 * How long a worker spins for the next job before it sleeps. Waking a sleeping worker costs
 * 0.1–0.3 ms here (measured in MLP steps); the gaps between the products of one training step are
 * mostly shorter than this, and the main thread wakes the workers (wake) before it copies the
 * operands of a split matmul, so a sleeping worker is spinning again by the time the job comes.
 */
const SPIN_MS = 1;

/**
 * The control block's int32 slots at `ctrl` in shared memory: GEN, the job counter (bumped once per
 * dispatched product); DONE, blocks of the current job finished; QUIT; NEXT, the claim word (the job's
 * tag in the high bits, the next block in the low 11, CLOSED once the job is over); JOB.., the job.
 */
export const SLOTS = { GEN: 0, DONE: 1, QUIT: 2, NEXT: 3, JOB: 4 } as const;
type Slots = typeof SLOTS;
const { GEN, DONE, QUIT, NEXT, JOB } = SLOTS;
const CTRL_BYTES = 128;
export const CLOSED = 0x7ff;
/**
 * Blocks per thread of a split product. Each block packs the operand it shares with the others again
 * (a row block all of op(B), a column block all of op(A)), so fewer blocks pack less; but a block is
 * the unit of balance, and here a thread often runs at a fraction of its speed (the other core busy):
 * with two per thread a 1024³ product ran 37–44 GFLOP/s (median call, 2 threads) against 47–54 with
 * four, the MLP step 11.7–14.0 against 10.9–12.7 ms (median, 4 alternating runs); eight lost again.
 */
const BLOCKS_PER_THREAD = 4;
/**
 * Direct convolutions are cut finer: a block of images (or taps) costs nothing to set up, unlike a
 * product's block, which packs its operands; smaller blocks let a thread that started late, or runs
 * on a busy core, take fewer of them.
 */
const CONV_BLOCKS_PER_THREAD = 8;

/** The claim word's high bits for job `gen` (20 bits of it: a worker would have to stall for 2²⁰ jobs to be fooled). */
export const tagOf = (gen: number): number => (gen & 0xfffff) << 11;

/**
 * Job kinds (slot JOB): 0 a product C = alpha·op(A)·op(B) + beta·C cut into blocks of rows or
 * columns of C; 1 a direct convolution (conv-direct.ts convDirect) cut into blocks of images; 2 a
 * direct weight gradient (convDirectGradW) cut into blocks of taps; 3 the same over transposed dy
 * (convDirectGradWT), cut into blocks of taps; 4 the forward by channels (convDirectT), cut into
 * blocks of images. Each block computes its outputs exactly as the whole call would, so results do
 * not depend on the split.
 */
export const KIND = { SGEMM: 0, CONV: 1, CONV_GRAD_W: 2, CONV_GRAD_WT: 3, CONV_T: 4 } as const;

/**
 * Claims blocks of job `gen` one at a time and runs them, until none is left or the job is no longer
 * current; counts each finished block in DONE. Every claim is a compare-exchange on NEXT that
 * succeeds only while job `gen` is open, and the main thread rewrites the job's slots only after
 * closing it (once every block is done): so a claimed block never reads a half-written job, and what
 * a late worker read before failing to claim is never used. Runs on the main
 * thread and, as source text, in the workers (WORKER_SOURCE), so it uses nothing but its arguments
 * (the kinds are KIND's values written out). Slots: JOB kind, total (rows, columns, images or taps),
 * unit (blocks are whole units), nblocks, then the kernel's arguments.
 */
export function runBlocks(
  ex: Pick<SgemmExports, 'sgemm'> &
    Pick<ConvDirectExports, 'convDirect' | 'convDirectGradW' | 'convDirectGradWT' | 'convDirectT'>,
  I: Int32Array,
  F: Float32Array,
  S: Slots,
  gen: number,
  packA: number,
  packB: number,
): void {
  const j = S.JOB;
  const tag = (gen & 0xfffff) << 11;
  const kind = I[j]!;
  const total = I[j + 1]!;
  const unit = I[j + 2]!;
  const nblocks = I[j + 3]!;
  const a = I.subarray(j + 4, j + 4 + 14); // the kernel's arguments: 14 at most (sgemm's)
  const chunk = Math.ceil(Math.ceil(total / unit) / nblocks) * unit;
  for (;;) {
    const cur = Atomics.load(I, S.NEXT);
    const b = cur & 0x7ff;
    if ((cur & ~0x7ff) !== tag || b >= nblocks) return;
    if (Atomics.compareExchange(I, S.NEXT, cur, cur + 1) !== cur) continue;
    const s0 = Math.min(total, b * chunk);
    const s1 = Math.min(total, s0 + chunk);
    const n = s1 - s0;
    if (n > 0 && kind === 0) {
      // tA, tB, M, N, K, alpha, beta, pA, lda, pB, ldb, pC, ldc, byRows
      const [tA, tB, M, N, K, , , pA, lda, pB, ldb, pC, ldc, byRows] = a as unknown as number[];
      const alpha = F[j + 9]!;
      const beta = F[j + 10]!;
      if (byRows)
        ex.sgemm(
          tA!,
          tB!,
          n,
          N!,
          K!,
          alpha,
          pA! + 4 * (tA ? s0 : s0 * lda!),
          lda!,
          pB!,
          ldb!,
          beta,
          pC! + 4 * s0 * ldc!,
          ldc!,
          packA,
          packB,
        );
      else
        ex.sgemm(
          tA!,
          tB!,
          M!,
          n,
          K!,
          alpha,
          pA!,
          lda!,
          pB! + 4 * (tB ? s0 * ldb! : s0),
          ldb!,
          beta,
          pC! + 4 * s0,
          ldc!,
          packA,
          packB,
        );
    } else if (n > 0 && kind === 1) {
      // x, xs, nb, wp, off, K, O, P, out, os, ranges: images s0..s1
      ex.convDirect(
        a[0]! + 4 * s0 * a[1]!,
        a[1]!,
        n,
        a[3]!,
        a[4]!,
        a[5]!,
        a[6]!,
        a[7]!,
        a[8]! + 4 * s0 * a[9]!,
        a[9]!,
        a[10]!,
      );
    } else if (n > 0 && kind === 2) {
      // x, xs, nb, dy, ds, off, K, O, P, dw, ldw: taps s0..s1
      ex.convDirectGradW(
        a[0]!,
        a[1]!,
        a[2]!,
        a[3]!,
        a[4]!,
        a[5]! + 4 * s0,
        n,
        a[7]!,
        a[8]!,
        a[9]! + 4 * s0,
        a[10]!,
      );
    } else if (n > 0 && kind === 3) {
      // x, xs, nb, dyT, ds, off, K, O, OH, OW, S, dw, ldw: taps s0..s1
      ex.convDirectGradWT(
        a[0]!,
        a[1]!,
        a[2]!,
        a[3]!,
        a[4]!,
        a[5]! + 4 * s0,
        n,
        a[7]!,
        a[8]!,
        a[9]!,
        a[10]!,
        a[11]! + 4 * s0,
        a[12]!,
      );
    } else if (n > 0 && kind === 4) {
      // x, xs, nb, wt, off, K, O, pos, L, outT, os: images s0..s1
      ex.convDirectT(
        a[0]! + 4 * s0 * a[1]!,
        a[1]!,
        n,
        a[3]!,
        a[4]!,
        a[5]!,
        a[6]!,
        a[7]!,
        a[8]!,
        a[9]! + 4 * s0 * a[10]!,
        a[10]!,
      );
    }
    if (Atomics.add(I, S.DONE, 1) + 1 === nblocks) Atomics.notify(I, S.DONE);
  }
}

// The worker: instantiates the shared module on the shared memory, then claims blocks of each job.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl, id, packA, packB, stride, spinMs, slots } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('sgemm: WebAssembly kernel aborted'); } } }).exports;
const I = new Int32Array(memory.buffer, ctrl, ${CTRL_BYTES / 4});
const F = new Float32Array(memory.buffer, ctrl, ${CTRL_BYTES / 4});
const runBlocks = ${runBlocks.toString()};
let seen = 0;
/** Spins until a new job is published or spinMs pass; true if one was. */
const spinFor = (ms) => {
  const until = performance.now() + ms;
  for (;;) {
    for (let s = 0; s < 1000; s++) if (Atomics.load(I, ${GEN}) !== seen) return true;
    if (performance.now() > until) return false;
  }
};
for (;;) {
  // A loop, not an if: a wait also returns on a bare wake-up (the main thread's notice that a job is
  // coming, see wake) or with no new job at all (found in a 3.5-epoch CIFAR run). Each wake-up spins again.
  while (Atomics.load(I, ${GEN}) === seen) if (!spinFor(spinMs)) Atomics.wait(I, ${GEN}, seen);
  seen = Atomics.load(I, ${GEN});
  if (Atomics.load(I, ${QUIT}) !== 0) break;
  runBlocks(ex, I, F, slots, seen, packA + id * stride, packB + id * stride);
}
`;

interface WorkerLike {
  terminate(): unknown;
  unref(): void;
  on(event: 'error', cb: (e: unknown) => void): void;
}
type WorkerCtor = new (src: string, opts: { eval: true; workerData: unknown }) => WorkerLike;

interface Pool {
  threads: number;
  workers: WorkerLike[];
  /** performance.now() when the last split product finished (see minWork). */
  lastSplit: number;
  memory: WebAssembly.Memory;
  ex: ConvExports;
  I: Int32Array;
  F: Float32Array;
  packA: number;
  packB: number;
  stride: number;
  dataStart: number;
  f32: Float32Array;
  /** The kernel that was registered before the pool took over (restored at 1 thread). */
  single: SgemmKernel;
  /** The pooled kernel registered as sgemm (only it is swapped back out when the pool stops). */
  pooled?: SgemmKernel;
  /**
   * The conv GEMM kernels registered before the pool took over, and the pool's own (unfold/fold in
   * the shared memory, GEMM split over the threads), swapped back when it stops.
   */
  unfoldBefore?: SgemmUnfoldKernel;
  foldBefore?: SgemmFoldKernel;
  conv?: { unfold: SgemmUnfoldKernel; fold: SgemmFoldKernel };
}

let pool: Pool | null = null;

function workerCtor(): WorkerCtor | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    const wt = proc?.getBuiltinModule?.('node:worker_threads') as { Worker?: WorkerCtor } | undefined;
    return wt?.Worker ?? null;
  } catch {
    return null;
  }
}

/** Products dispatched to the current pool so far (for tests; 0 without a pool). */
export function dispatchCount(): number {
  return pool ? Atomics.load(pool.I, GEN) : 0;
}

/** Number of threads large sgemm calls are split over (1 unless setNumThreads raised it). */
export function getNumThreads(): number {
  return pool?.threads ?? 1;
}

/**
 * Splits large float32 matrix products (matmul, linear layers, convolutions) over `n` threads:
 * the main one and n - 1 worker threads. 1 (the default) stops the workers. Returns the number of
 * threads now in use: 1 where worker threads or shared WebAssembly memory are unavailable.
 */
export function setNumThreads(n: number): number {
  if (!Number.isInteger(n) || n < 1) fail('setNumThreads', `n must be a positive integer, received ${n}`);
  if (n === getNumThreads()) return n;
  const single = pool?.single ?? kernels.sgemm;
  stopPool();
  if (n === 1) return 1;
  const started = startPool(n, single);
  if (!started) return 1;
  pool = started;
  started.pooled = pooledSgemm(started);
  setKernel('sgemm', started.pooled);
  started.conv = convGemms(poolEngine(started), {
    unfold: referenceKernels.sgemmUnfold,
    fold: referenceKernels.sgemmFold,
  });
  started.unfoldBefore = setKernel('sgemmUnfold', started.conv.unfold);
  started.foldBefore = setKernel('sgemmFold', started.conv.fold);
  return n;
}

function stopPool(): void {
  if (!pool) return;
  const p = pool;
  pool = null;
  Atomics.store(p.I, QUIT, 1);
  Atomics.add(p.I, GEN, 1);
  Atomics.notify(p.I, GEN);
  for (const w of p.workers) void w.terminate();
  if (kernels.sgemm === p.pooled) setKernel('sgemm', p.single);
  if (p.unfoldBefore && kernels.sgemmUnfold === p.conv?.unfold) setKernel('sgemmUnfold', p.unfoldBefore);
  if (p.foldBefore && kernels.sgemmFold === p.conv?.fold) setKernel('sgemmFold', p.foldBefore);
}

function startPool(threads: number, single: SgemmKernel): Pool | null {
  const Worker = workerCtor();
  const variant = bestVariant();
  const mod = variant ? wasmModule(variant, true) : null;
  if (!Worker || !mod || typeof SharedArrayBuffer === 'undefined') {
    console.warn(
      'setNumThreads: worker threads or shared WebAssembly memory unavailable; staying at 1 thread',
    );
    return null;
  }
  let memory: WebAssembly.Memory;
  let ex: ConvExports;
  try {
    memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    ex = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as ConvExports;
  } catch {
    console.warn('setNumThreads: shared WebAssembly memory unavailable; staying at 1 thread');
    return null;
  }
  const ctrl = align16(ex.heapBase());
  const packA = ctrl + CTRL_BYTES;
  const stride = align16(ex.packABytes()) + align16(ex.packBBytes());
  const packB = packA + align16(ex.packABytes());
  const dataStart = align16(packA + threads * stride);
  const need = dataStart - memory.buffer.byteLength;
  if (need > 0) memory.grow(Math.ceil(need / PAGE));
  const I = new Int32Array(memory.buffer, ctrl, CTRL_BYTES / 4);
  const F = new Float32Array(memory.buffer, ctrl, CTRL_BYTES / 4);
  const workers: WorkerLike[] = [];
  for (let id = 1; id < threads; id++) {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: mod, memory, ctrl, id, packA, packB, stride, spinMs: SPIN_MS, slots: SLOTS },
    });
    w.unref(); // idle workers never keep the process alive
    w.on('error', (e) => console.error('tsdl sgemm worker failed:', e));
    workers.push(w);
  }
  return {
    threads,
    workers,
    lastSplit: Number.NEGATIVE_INFINITY,
    memory,
    ex,
    I,
    F,
    packA,
    packB,
    stride,
    dataStart,
    f32: new Float32Array(memory.buffer),
    single,
  };
}

function pooledSgemm(p: Pool): SgemmKernel {
  const unitRows = p.ex.tileRows();
  const unitCols = p.ex.tileCols();
  const kernel: SgemmKernel = (
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
    const byRows = M >= N;
    const unit = byRows ? unitRows : unitCols;
    if (
      pool !== p ||
      blockCount(p, byRows ? M : N, unit) < 2 ||
      M * N * K < minWork(p) ||
      !(A instanceof Float32Array && B instanceof Float32Array && C instanceof Float32Array)
    ) {
      p.single(transA, transB, M, N, K, alpha, A as FloatArray, lda, B, ldb, beta, C, ldc, offA, offB, offC);
      return;
    }
    wake(p);
    const pl = place(transA, transB, M, N, K, lda, ldb, p.dataStart, true);
    const end = p.dataStart + pl.bytes;
    if (end > MAX_PAGES * PAGE) {
      p.single(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, offA, offB, offC);
      return;
    }
    const have = p.memory.buffer.byteLength;
    if (end > have) p.memory.grow(Math.ceil((end - have) / PAGE));
    if (p.f32.length * 4 < end) p.f32 = new Float32Array(p.memory.buffer);
    const f32 = p.f32;
    f32.set(A.subarray(offA, offA + pl.spanA), pl.pA >> 2);
    f32.set(B.subarray(offB, offB + pl.spanB), pl.pB >> 2);
    if (beta !== 0) copyCIn(f32, pl.pC >> 2, C, offC, M, N, ldc);
    splitSgemm(p, transA, transB, M, N, K, alpha, pl.pA, lda, pl.pB, ldb, beta, pl.pC, N);
    copyCOut(f32, pl.pC >> 2, C, offC, M, N, ldc);
  };
  return kernel;
}

/**
 * Wakes sleeping workers without a job (GEN unchanged), so they spin while the main thread copies
 * the operands of a product it is about to split.
 */
function wake(p: Pool): void {
  Atomics.notify(p.I, GEN);
}

/** The pool's shared memory and split sgemm as a place for the conv GEMMs (wasm-conv-gemm.ts). */
function poolEngine(p: Pool): ConvEngine {
  return {
    ex: p.ex as ConvExports,
    dataStart: p.dataStart,
    // No wake here: most conv GEMMs (blocks of ≤ 2¹⁸ unfolded columns) stay below MIN_WORK, and
    // waking the workers for them kept a core spinning for nothing (LeNet at 2 threads: CPU time
    // 70–85 → 40–46 ms per step without it, wall clock 41–52 → 35–41 ms).
    ensure(bytes) {
      const end = p.dataStart + bytes;
      const have = p.memory.buffer.byteLength;
      if (end > have) p.memory.grow(Math.ceil((end - have) / PAGE));
      if (p.f32.length * 4 < end) p.f32 = new Float32Array(p.memory.buffer);
      return p.f32;
    },
    sgemm: (tA, tB, M, N, K, alpha, pA, lda, pB, ldb, beta, pC, ldc) =>
      splitSgemm(p, tA, tB, M, N, K, alpha, pA, lda, pB, ldb, beta, pC, ldc),
    // Direct convolutions: split over images (each image's outputs are its own), the weight
    // gradient over taps (each thread sums its taps over all images, in image order).
    convDirect: (...a) => {
      const [, , nb, , , K, O, P] = a;
      convJob(p, KIND.CONV, nb, 1, nb * O * P * K, a, p.ex.convDirect);
    },
    convDirectGradW: (...a) => {
      const [, , nb, , , , K, O, P] = a;
      convJob(p, KIND.CONV_GRAD_W, K, 4, nb * O * P * K, a, p.ex.convDirectGradW);
    },
    convDirectT: (...a) => {
      const [, , nb, , , K, O, , L] = a;
      convJob(p, KIND.CONV_T, nb, 1, nb * O * L * K, a, p.ex.convDirectT);
    },
    convDirectGradWT: (...a) => {
      const [, , nb, , , , K, O, OH, OW] = a;
      convJob(p, KIND.CONV_GRAD_WT, K, 2, nb * O * OH * OW * K, a, p.ex.convDirectGradWT);
    },
  };
}

/**
 * A direct-convolution job of `work` multiply-adds over `total` images or taps (blocks of whole
 * `unit`s, CONV_BLOCKS_PER_THREAD per thread) split over the pool, or run by `single` on this thread
 * when it is too small to pay for the split. `args` are the kernel's, written to the job's slots.
 */
function convJob<A extends number[]>(
  p: Pool,
  kind: number,
  total: number,
  unit: number,
  work: number,
  args: A,
  single: (...a: A) => void,
): void {
  const nblocks = blockCount(p, total, unit, CONV_BLOCKS_PER_THREAD);
  if (nblocks < 2 || work < minWork(p)) single(...args);
  else dispatch(p, kind, total, unit, nblocks, (I, _, a) => I.set(args, a));
}

/** The size from which a product is split: lower while the workers still spin from the last split one. */
function minWork(p: Pool): number {
  return performance.now() - p.lastSplit < SPIN_MS ? MIN_WORK : MIN_WORK_COLD;
}

/** Blocks a product of `total` rows (or columns) is cut into: whole tiles, `perThread` per thread. */
function blockCount(p: Pool, total: number, unit: number, perThread = BLOCKS_PER_THREAD): number {
  return Math.min(p.threads * perThread, Math.ceil(total / unit), CLOSED - 1);
}

/**
 * Runs C = alpha·op(A)·op(B) + beta·C on operands already in the pool's shared memory (byte
 * pointers, row strides in elements), cut into blocks at tile boundaries that the main thread and
 * the workers claim one by one. Small products run on the main thread alone.
 */
function splitSgemm(
  p: Pool,
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  pA: number,
  lda: number,
  pB: number,
  ldb: number,
  beta: number,
  pC: number,
  ldc: number,
): void {
  const byRows = M >= N;
  const unit = byRows ? p.ex.tileRows() : p.ex.tileCols();
  const nblocks = blockCount(p, byRows ? M : N, unit);
  if (nblocks < 2 || M * N * K < minWork(p)) {
    p.ex.sgemm(+transA, +transB, M, N, K, alpha, pA, lda, pB, ldb, beta, pC, ldc, p.packA, p.packB);
    return;
  }
  dispatch(p, KIND.SGEMM, byRows ? M : N, unit, nblocks, (I, F, a) => {
    I.set([+transA, +transB, M, N, K, 0, 0, pA, lda, pB, ldb, pC, ldc, +byRows], a);
    F[a + 5] = alpha;
    F[a + 6] = beta;
  });
}

/**
 * Publishes a job of `kind` over `total` units in `nblocks` blocks (`write` fills its arguments from
 * slot a), runs blocks on this thread too, and returns once every block is done.
 */
function dispatch(
  p: Pool,
  kind: number,
  total: number,
  unit: number,
  nblocks: number,
  write: (I: Int32Array, F: Float32Array, a: number) => void,
): void {
  const { I, F } = p;
  I.set([kind, total, unit, nblocks], JOB);
  write(I, F, JOB + 4);
  const gen = Atomics.load(I, GEN) + 1;
  Atomics.store(I, DONE, 0);
  Atomics.store(I, NEXT, tagOf(gen)); // opens the job at block 0
  Atomics.store(I, GEN, gen); // publishes the job slots written above
  Atomics.notify(I, GEN);
  runBlocks(p.ex, I, F, SLOTS, gen, p.packA, p.packB);
  // Blocks claimed by workers may still be running.
  for (let s = 0, d = Atomics.load(I, DONE); d !== nblocks; d = Atomics.load(I, DONE)) {
    if (++s > SPIN) Atomics.wait(I, DONE, d, 1);
  }
  // Closed before the slots are rewritten: a worker that read them late can no longer claim a block.
  Atomics.store(I, NEXT, tagOf(gen) | CLOSED);
  p.lastSplit = performance.now(); // the workers spin for SPIN_MS from about now
}
