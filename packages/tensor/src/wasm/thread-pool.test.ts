import { afterAll, describe, expect, it } from 'vitest';
import {
  conv2d,
  conv2dGradInput,
  conv2dGradWeight,
  Generator,
  getNumThreads,
  kernelBackend,
  setNumThreads,
  Tensor,
} from '../index.js';
import { kernels, setKernel } from '../kernels.js';
import { CLOSED, dispatchCount, KIND, runBlocks, SLOTS, tagOf } from './thread-pool.js';

const gen = new Generator(21);
const rand = (n: number) => {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = gen.normal();
  return a;
};
const hasWorkers =
  kernelBackend() !== 'js' &&
  typeof SharedArrayBuffer !== 'undefined' &&
  typeof (process as { getBuiltinModule?: unknown }).getBuiltinModule === 'function';
if (!hasWorkers)
  console.warn('thread-pool: no worker threads / shared wasm memory here; only the 1-thread path is tested');

describe('setNumThreads', () => {
  afterAll(() => {
    setNumThreads(1);
  });

  it('defaults to 1 thread and rejects bad counts', () => {
    expect(getNumThreads()).toBe(1);
    expect(() => setNumThreads(0)).toThrow('setNumThreads: n must be a positive integer, received 0');
    expect(() => setNumThreads(2.5)).toThrow(/positive integer/);
  });

  it.skipIf(!hasWorkers)('stopping the pool leaves a kernel the user registered meanwhile in place', () => {
    const single = kernels.sgemm;
    expect(setNumThreads(2)).toBe(2);
    const custom: typeof single = (...args) => single(...args);
    setKernel('sgemm', custom);
    expect(setNumThreads(1)).toBe(1);
    expect(kernels.sgemm).toBe(custom);
    setKernel('sgemm', single);
  });

  it.skipIf(!hasWorkers)(
    'splits large products over threads with results identical to one thread (rows, columns, transposes, beta, strides)',
    () => {
      const single = kernels.sgemm;
      // [M, N, K, transA, transB, beta]: M ≥ N splits rows, M < N columns; odd sizes leave ragged blocks.
      // All but the last are past 2²³ multiply-adds, split even with the workers asleep.
      const cases: [number, number, number, boolean, boolean, number][] = [
        [203, 97, 430, false, false, 0],
        [61, 517, 277, true, false, 0],
        [128, 128, 520, false, true, 1],
        [300, 45, 640, true, true, 0.5],
        [7, 999, 1201, false, false, 0], // few rows: column blocks
        [16, 16, 16, false, false, 0], // too small: stays on one thread
      ];
      const run = (c: (typeof cases)[number]) => {
        const [M, N, K, tA, tB, beta] = c;
        const lda = (tA ? M : K) + 3;
        const ldb = (tB ? K : N) + 1;
        const ldc = N + 5;
        const g = new Generator(M * 7 + N);
        const A = rand(2 + (tA ? K : M) * lda);
        const B = rand(1 + (tB ? N : K) * ldb);
        const C0 = new Float32Array(4 + M * ldc);
        for (let i = 0; i < C0.length; i++) C0[i] = g.normal();
        return { M, N, K, tA, tB, beta, lda, ldb, ldc, A, B, C0 };
      };
      const inputs = cases.map(run);
      const want = inputs.map(({ M, N, K, tA, tB, beta, lda, ldb, ldc, A, B, C0 }) => {
        const C = C0.slice();
        single(tA, tB, M, N, K, 1.25, A, lda, B, ldb, beta, C, ldc, 2, 1, 4);
        return C;
      });
      for (const threads of [2, 3]) {
        expect(setNumThreads(threads)).toBe(threads);
        expect(getNumThreads()).toBe(threads);
        expect(kernels.sgemm).not.toBe(single);
        const before = dispatchCount();
        for (let rep = 0; rep < 2; rep++) {
          inputs.forEach(({ M, N, K, tA, tB, beta, lda, ldb, ldc, A, B, C0 }, i) => {
            const C = C0.slice();
            kernels.sgemm(tA, tB, M, N, K, 1.25, A, lda, B, ldb, beta, C, ldc, 2, 1, 4);
            expect(C, `case ${JSON.stringify(cases[i])} threads ${threads}`).toEqual(want[i]);
          });
        }
        expect(dispatchCount() - before).toBe(2 * (cases.length - 1)); // all but the small one went to the pool
      }
      expect(setNumThreads(1)).toBe(1);
      expect(kernels.sgemm).toBe(single);
    },
    // worker start-up and 3 threads on a 2-core machine that other test files share: seconds, not ms
    30_000,
  );

  it.skipIf(!hasWorkers)(
    'convolutions split over the pool give the 1-thread bits, then hand the kernels back',
    () => {
      // 16 images 16→72 channels 3×3 on 14×14: blocks of 9 and 7 images (144·196 columns each, under
      // the 2¹⁸ cap), and every GEMM of a block (72×1372×144 multiply-adds or more) is past the pool's
      // threshold for sleeping workers. 72 output channels and 14×14 images (dy padded to 16×14 per
      // 14×14 input) keep all three off the direct convolutions (wasm-conv-direct.ts).
      const x = new Tensor(rand(16 * 16 * 14 * 14), [16, 16, 14, 14]);
      const w = new Tensor(rand(72 * 16 * 3 * 3), [72, 16, 3, 3]);
      const opts = { padding: 1 } as const;
      const run = () => {
        const y = conv2d(x, w, null, opts);
        const dy = new Tensor(
          Float32Array.from(y.toTypedArray() as Float32Array, (v) => Math.sin(v)),
          y.shape,
        );
        return [y, conv2dGradInput(dy, w, x.shape, opts), conv2dGradWeight(x, dy, w.shape, opts)].map((t) =>
          Array.from(t.toTypedArray()),
        );
      };
      const unfold = kernels.sgemmUnfold;
      const fold = kernels.sgemmFold;
      const want = run();
      expect(setNumThreads(2)).toBe(2);
      expect(kernels.sgemmUnfold).not.toBe(unfold);
      const before = dispatchCount();
      const got = run();
      expect(dispatchCount() - before).toBe(3 * 2); // forward, input and weight gradient, per block
      expect(setNumThreads(1)).toBe(1);
      expect(kernels.sgemmUnfold).toBe(unfold);
      expect(kernels.sgemmFold).toBe(fold);
      for (let i = 0; i < 3; i++) expect(got[i]).toEqual(want[i]);
    },
    30_000,
  );

  it.skipIf(!hasWorkers)(
    'direct convolutions split over the pool (images; taps for the weight gradients) give the 1-thread bits',
    () => {
      // LeNet's first layer on 24 images: forward 24·6·896·75, weight gradient 24·6·896·76 and input
      // gradient 24·4·1152·150 multiply-adds; its second on 48: forward 48·16·144·150, weight
      // gradient over transposed dy 48·16·100·150, input gradient 48·6·208·400 — all past the
      // threshold for sleeping workers
      for (const [xShape, wShape] of [
        [
          [24, 3, 32, 32],
          [6, 3, 5, 5],
        ],
        [
          [48, 6, 14, 14],
          [16, 6, 5, 5],
        ],
      ]) {
        const x = new Tensor(rand(xShape!.reduce((a, b) => a * b)), xShape!);
        const w = new Tensor(rand(wShape!.reduce((a, b) => a * b)), wShape!);
        const run = () => {
          const y = conv2d(x, w);
          const dy = new Tensor(
            Float32Array.from(y.toTypedArray() as Float32Array, (v) => Math.sin(v)),
            y.shape,
          );
          return [y, conv2dGradInput(dy, w, x.shape), conv2dGradWeight(x, dy, w.shape)].map((t) =>
            Array.from(t.toTypedArray()),
          );
        };
        const want = run();
        expect(setNumThreads(2)).toBe(2);
        const before = dispatchCount();
        const got = run();
        expect(dispatchCount() - before).toBe(3);
        expect(setNumThreads(1)).toBe(1);
        for (let i = 0; i < 3; i++) expect(got[i]).toEqual(want[i]);
      }
    },
    30_000,
  );

  it.skipIf(!hasWorkers)(
    'splits mid-sized products only while the workers still spin from the last split one',
    () => {
      type Shape = readonly [number, number, number];
      const big: Shape = [256, 256, 160]; // 1.25·2²³ multiply-adds: split whether the workers sleep or not
      const mid: Shape = [128, 128, 320]; // 1.25·2²²: split only right after another split
      const operands = ([M, N, K]: Shape) => [rand(M * K), rand(K * N), new Float32Array(M * N)] as const;
      const product = ([M, N, K]: Shape, [A, B, C]: ReturnType<typeof operands>) =>
        kernels.sgemm(false, false, M, N, K, 1, A, K, B, N, 0, C, N);
      const bigOps = operands(big);
      const midOps = operands(mid);
      const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      expect(setNumThreads(2)).toBe(2);
      let before = dispatchCount();
      product(big, bigOps);
      expect(dispatchCount() - before).toBe(1);
      // 5 ms later the workers sleep (they spin for 1 ms): the mid-sized product stays on this thread
      sleep(5);
      before = dispatchCount();
      product(mid, midOps);
      expect(dispatchCount() - before).toBe(0);
      // right after a split product it goes to the pool: at least once in 5 tries (on a shared
      // machine this process may now and then be descheduled for a millisecond in between)
      let split = 0;
      for (let i = 0; i < 5; i++) {
        product(big, bigOps);
        before = dispatchCount();
        product(mid, midOps);
        split += dispatchCount() - before;
      }
      expect(split).toBeGreaterThan(0);
      expect(setNumThreads(1)).toBe(1);
    },
  );
});

describe('block claiming (the protocol the threads share, run on one thread)', () => {
  // A product of 50 columns in tiles of 8, cut into 4 blocks; the fake kernels record what they were given.
  const setUp = (next: (gen: number) => number) => {
    const I = new Int32Array(32);
    const F = new Float32Array(I.buffer);
    const j = SLOTS.JOB;
    I.set([KIND.SGEMM, 50, 8, 4], j); // kind, total (columns), unit, nblocks
    I.set([0, 0, 3, 50, 7, 0, 0, 1000, 7, 2000, 50, 3000, 50, 0], j + 4); // tA, tB, M, N, K, α, β, pA, lda, pB, ldb, pC, ldc, byRows
    F[j + 9] = 1;
    F[j + 10] = 0;
    I[SLOTS.NEXT] = next(5);
    const calls: number[][] = [];
    const record = (...args: number[]) => void calls.push(args);
    const record4 = {
      convDirect: record,
      convDirectGradW: record,
      convDirectGradWT: record,
      convDirectT: record,
    };
    const ex = { sgemm: record, ...record4 };
    return { I, F, ex, calls };
  };

  it('an open job: every block runs once, disjoint and covering, and each is counted done', () => {
    const { I, F, ex, calls } = setUp((g) => tagOf(g));
    runBlocks(ex, I, F, SLOTS, 5, 10, 20);
    // columns [0,16) [16,32) [32,48) [48,50): N, the B and C pointers, this thread's pack buffers
    expect(calls.map((c) => [c[3], c[8], c[11], c[13], c[14]])).toEqual([
      [16, 2000, 3000, 10, 20],
      [16, 2000 + 64, 3000 + 64, 10, 20],
      [16, 2000 + 128, 3000 + 128, 10, 20],
      [2, 2000 + 192, 3000 + 192, 10, 20],
    ]);
    expect(I[SLOTS.DONE]).toBe(4);
    expect(I[SLOTS.NEXT]! & 0x7ff).toBe(4);
    runBlocks(ex, I, F, SLOTS, 5, 10, 20); // nothing left to claim
    expect(calls.length).toBe(4);
  });

  it('a direct convolution is cut into blocks of images, its weight gradients into blocks of 4 (2) taps', () => {
    const { I, F, ex, calls } = setUp((g) => tagOf(g));
    // 7 images in 3 blocks: x, xs, nb, wp, off, K, O, P, out, os, ranges
    I.set([KIND.CONV, 7, 1, 3], SLOTS.JOB);
    I.set([1000, 100, 7, 2000, 3000, 75, 6, 32, 4000, 200, 5000], SLOTS.JOB + 4);
    runBlocks(ex, I, F, SLOTS, 5, 10, 20);
    expect(calls).toEqual([
      [1000, 100, 3, 2000, 3000, 75, 6, 32, 4000, 200, 5000],
      [1000 + 4 * 3 * 100, 100, 3, 2000, 3000, 75, 6, 32, 4000 + 4 * 3 * 200, 200, 5000],
      [1000 + 4 * 6 * 100, 100, 1, 2000, 3000, 75, 6, 32, 4000 + 4 * 6 * 200, 200, 5000],
    ]);
    // 20 taps in 2 blocks of whole quads (12 + 8): x, xs, nb, dy, ds, off, K, O, P, dw, ldw
    calls.length = 0;
    I.set([KIND.CONV_GRAD_W, 20, 4, 2], SLOTS.JOB);
    I.set([1000, 100, 7, 2000, 50, 3000, 20, 6, 32, 4000, 20], SLOTS.JOB + 4);
    I[SLOTS.NEXT] = tagOf(6);
    runBlocks(ex, I, F, SLOTS, 6, 10, 20);
    expect(calls).toEqual([
      [1000, 100, 7, 2000, 50, 3000, 12, 6, 32, 4000, 20],
      [1000, 100, 7, 2000, 50, 3000 + 4 * 12, 8, 6, 32, 4000 + 4 * 12, 20],
    ]);
    // over transposed dy, 6 taps in 2 blocks of whole pairs (4 + 2): x, xs, nb, dyT, ds, off, K, O, OH, OW, S, dw, ldw
    calls.length = 0;
    I.set([KIND.CONV_GRAD_WT, 6, 2, 2], SLOTS.JOB);
    I.set([1000, 100, 7, 2000, 50, 3000, 6, 16, 10, 10, 14, 4000, 6], SLOTS.JOB + 4);
    I[SLOTS.NEXT] = tagOf(7);
    runBlocks(ex, I, F, SLOTS, 7, 10, 20);
    expect(calls).toEqual([
      [1000, 100, 7, 2000, 50, 3000, 4, 16, 10, 10, 14, 4000, 6],
      [1000, 100, 7, 2000, 50, 3000 + 4 * 4, 2, 16, 10, 10, 14, 4000 + 4 * 4, 6],
    ]);
  });

  it('a closed job, or one that is no longer current, runs nothing (a late worker cannot run a stale job)', () => {
    for (const next of [
      (g: number) => tagOf(g) | CLOSED,
      (g: number) => tagOf(g + 1),
      (g: number) => tagOf(g - 1) | 1,
    ]) {
      const { I, F, ex, calls } = setUp(next);
      runBlocks(ex, I, F, SLOTS, 5, 10, 20);
      expect(calls).toEqual([]);
      expect(I[SLOTS.DONE]).toBe(0);
    }
  });
});
