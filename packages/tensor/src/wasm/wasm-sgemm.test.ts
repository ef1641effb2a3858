import { afterEach, describe, expect, it, vi } from 'vitest';
import { Generator, kernelBackend, matmul, referenceKernels, tensor } from '../index.js';
import { type FloatArray, kernels, type SgemmKernel } from '../kernels.js';
import { wasmModule } from './wasm-module.js';
import { createWasmSgemm } from './wasm-sgemm.js';

const gen = new Generator(11);
const randF32 = (n: number): Float32Array => {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = gen.normal();
  return a;
};

/** op(X) rows×cols stored (transposed if trans) at row stride = stored width + pad, from offset off. */
function store(rows: number, cols: number, trans: boolean, pad: number, off: number) {
  const sr = trans ? cols : rows;
  const sc = trans ? rows : cols;
  const ld = sc + pad;
  const data = randF32(off + sr * ld + 3);
  return { data, ld };
}

const variants = (['relaxed', 'simd'] as const).filter((v) => wasmModule(v) !== null);
if (variants.length === 0)
  console.warn('wasm-sgemm: this engine has no WebAssembly SIMD; only the fallback is tested');

/** Runs `fast` and the reference on identical inputs and compares C everywhere (gaps included). */
function check(
  fast: SgemmKernel,
  M: number,
  N: number,
  K: number,
  tA: boolean,
  tB: boolean,
  alpha: number,
  beta: number,
) {
  const a = store(M, K, tA, 3, 2);
  const b = store(K, N, tB, 1, 5);
  const ldc = N + 2;
  const C0 = randF32(4 + M * ldc + 1);
  if (beta === 0) C0.fill(Number.NaN, 4, 4 + N); // beta = 0 must overwrite, not propagate NaN
  const want = C0.slice();
  const got = C0.slice();
  referenceKernels.sgemm(tA, tB, M, N, K, alpha, a.data, a.ld, b.data, b.ld, beta, want, ldc, 2, 5, 4);
  fast(tA, tB, M, N, K, alpha, a.data, a.ld, b.data, b.ld, beta, got, ldc, 2, 5, 4);
  // f32 accumulation vs the reference's f64: error grows like √K·ulp·|terms|.
  const tol = 2e-6 * (Math.abs(alpha) * K + Math.abs(beta) + 1);
  for (let i = 0; i < got.length; i++) {
    const inC = i >= 4 && (i - 4) % ldc < N && i < 4 + M * ldc;
    if (!inC) {
      if (!Object.is(got[i], C0[i])) expect.fail(`C[${i}] outside the M×N block changed`);
      continue;
    }
    if (!(Math.abs(got[i]! - want[i]!) <= tol * (1 + Math.abs(want[i]!))))
      expect.fail(`C[${i}] = ${got[i]}, reference ${want[i]} (M=${M} N=${N} K=${K} tA=${tA} tB=${tB})`);
  }
}

describe.each(variants)('wasm sgemm (%s) vs the reference kernel', (variant) => {
  const fast = createWasmSgemm(variant, referenceKernels.sgemm)!;
  const trans = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const;

  it('matches on odd and block-crossing shapes, all transposes, offsets and padded strides', () => {
    // Crosses the micro-tile (4×8), MC (64), KC (256) and NC (1024) block edges.
    const shapes: [number, number, number][] = [
      [1, 1, 1],
      [2, 3, 1],
      [7, 9, 5],
      [6, 8, 4],
      [13, 17, 33],
      [97, 31, 257],
      [5, 1030, 19],
      [101, 9, 300],
    ];
    for (const [M, N, K] of shapes) for (const [tA, tB] of trans) check(fast, M, N, K, tA, tB, 1, 0);
  });

  it('matches on random shapes with random alpha/beta (beta = 0, 1 and others)', () => {
    for (let t = 0; t < 40; t++) {
      const M = gen.randint(1, 71);
      const N = gen.randint(1, 71);
      const K = gen.randint(1, 71);
      const [tA, tB] = trans[t % 4]!;
      const beta = [0, 1, -0.5, 2.25][gen.randint(0, 4)]!;
      const alpha = [1, -1.5, 0.25][t % 3]!;
      check(fast, M, N, K, tA, tB, alpha, beta);
    }
  });

  it('matches on matrix-vector and outer products (M, N or K = 1: the unpacked path)', () => {
    // row counts around the 4- and 8-row passes; K and N past the 65 536-element scratch chunks
    const shapes: [number, number, number][] = [
      [1, 37, 300],
      [53, 1, 300],
      [13, 1, 41],
      [1, 9, 6],
      [1, 1, 77],
      [19, 23, 1],
      [3, 1, 70001],
      [1, 5, 70001],
      [2, 66000, 1],
    ];
    for (const [M, N, K] of shapes)
      for (const [t, [tA, tB]] of trans.entries())
        check(fast, M, N, K, tA, tB, [1, -1.5, 0.25][t % 3]!, [0, 1, -0.5][t % 3]!);
  });

  it('handles K = 0 and alpha = 0 (C = beta·C) and empty M/N', () => {
    check(fast, 3, 4, 0, false, false, 1, 2);
    check(fast, 3, 4, 5, true, true, 0, -1);
    const C = new Float32Array([1, 2]);
    fast(false, false, 0, 2, 3, 1, new Float32Array(0), 3, new Float32Array(6), 2, 0, C, 2);
    expect([...C]).toEqual([1, 2]);
  });

  it('reuses and grows its memory: a small call after a large one still matches', () => {
    check(fast, 300, 200, 150, false, true, 1, 0);
    check(fast, 3, 2, 4, false, false, 1, 1);
  });

  it('sends float64 (and mixed) operands to the fallback', () => {
    let calls = 0;
    const spy: SgemmKernel = (...args) => {
      calls++;
      referenceKernels.sgemm(...args);
    };
    const withSpy = createWasmSgemm(variant, spy)!;
    const A = new Float64Array([1, 2]);
    const B = new Float64Array([3, 4]);
    const C = new Float64Array(1);
    withSpy(false, false, 1, 1, 2, 1, A, 2, B, 1, 0, C, 1);
    expect(C[0]).toBe(11);
    withSpy(false, false, 1, 1, 2, 1, new Float32Array([1, 2]), 2, B as FloatArray, 1, 0, C, 1);
    expect(calls).toBe(2);
    const C32 = new Float32Array(1);
    withSpy(false, false, 1, 1, 2, 1, new Float32Array([1, 2]), 2, new Float32Array([3, 4]), 1, 0, C32, 1);
    expect(calls).toBe(2);
    expect(C32[0]).toBe(11);
  });
});

describe('installation', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    vi.resetModules();
  });

  it('puts the best available variant behind kernels.sgemm; float32 matmul goes through it', () => {
    const expected =
      variants[0] === 'relaxed' ? 'wasm-relaxed-simd' : variants[0] === 'simd' ? 'wasm-simd' : 'js';
    expect(kernelBackend()).toBe(expected);
    if (expected !== 'js') expect(kernels.sgemm).not.toBe(referenceKernels.sgemm);
    const a = tensor(randF32(37 * 29), { shape: [37, 29] });
    const b = tensor(randF32(29 * 41), { shape: [29, 41] });
    const got = matmul(a, b.transpose(0, 1).contiguous().transpose(0, 1)).toTypedArray();
    const want = matmul(
      tensor(Float64Array.from(a.toTypedArray()), { shape: [37, 29] }),
      tensor(Float64Array.from(b.toTypedArray()), { shape: [29, 41] }),
    ).toTypedArray();
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-4);
  });

  it('keeps the reference kernel when TSDL_KERNELS=js (the fallback path)', async () => {
    vi.stubEnv('TSDL_KERNELS', 'js');
    vi.resetModules();
    const fresh = await import('../index.js');
    const freshKernels = await import('../kernels.js');
    expect(fresh.kernelBackend()).toBe('js');
    expect(freshKernels.kernels.sgemm).toBe(freshKernels.referenceKernels.sgemm);
    expect(fresh.matmul(fresh.tensor([[1, 2]]), fresh.tensor([[3], [4]])).toArray()).toEqual([[11]]);
  });

  it('falls back to the reference kernel when WebAssembly SIMD does not validate', async () => {
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    vi.resetModules();
    const fresh = await import('../index.js');
    const freshKernels = await import('../kernels.js');
    expect(fresh.kernelBackend()).toBe('js');
    expect(freshKernels.kernels.sgemm).toBe(freshKernels.referenceKernels.sgemm);
    expect(fresh.matmul(fresh.tensor([[1, 2]]), fresh.tensor([[3], [4]])).toArray()).toEqual([[11]]);
  });
});
