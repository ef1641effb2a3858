// JS side of the WebAssembly float32 elementwise kernels (assembly/elementwise.ts): operands go
// through linear memory in cache-sized chunks, the result is computed in place there and copied
// out. A repeated row (a bias) is copied in once per call. One instance and arena for all four.
import {
  type ArithOp,
  type BinaryF32Kernel,
  type ColSumsF32Kernel,
  type Float32MapKernel,
  type ReluGradKernel,
  referenceKernels,
  type ScalarF32Kernel,
} from '../kernels.js';
import type { WasmVariant } from './wasm-module.js';
import { instantiateKernel } from './wasm-sgemm.js';

export interface ElementwiseExports {
  memory?: WebAssembly.Memory;
  heapBase(): number;
  binaryF32(
    op: number,
    out: number,
    a: number,
    aRow: number,
    b: number,
    bRow: number,
    p: number,
    rows: number,
  ): void;
  scalarF32(op: number, out: number, x: number, s: number, left: number, n: number): void;
  reluF32(x: number, out: number, n: number): void;
  reluGradF32(dy: number, x: number, out: number, n: number): void;
  colSumsF32(x: number, rows: number, cols: number, acc: number): void;
}

/** Elements per chunk (64 KB per operand: three stay in L2). */
const CHUNK = 16384;
/** Below this many elements the copies cost more than the JavaScript loop saves. */
const MIN_N = 64;
/** Widest row colSumsF32 takes (its float64 sums stay in linear memory, 32 KB). */
const ACC_COLS = 4096;
const CODE: Record<ArithOp, number> = { add: 0, sub: 1, mul: 2, div: 3 };

export interface ElementwiseKernels {
  binaryF32: BinaryF32Kernel;
  scalarF32: ScalarF32Kernel;
  relu: Float32MapKernel;
  reluGrad: ReluGradKernel;
  colSumsF32: ColSumsF32Kernel;
}

/** The elementwise kernels on one instance of `variant`; null if the engine lacks it. */
export function createWasmElementwise(variant: WasmVariant): ElementwiseKernels | null {
  const k = instantiateKernel<ElementwiseExports>(variant, 'binaryF32');
  if (!k) return null;
  const { ex, arena } = k;
  const pA = arena.dataStart;
  const pB = pA + 4 * CHUNK;
  const pR = pB + 4 * CHUNK;
  const pAcc = pR + 4 * CHUNK;
  arena.ensure(12 * CHUNK + 8 * ACC_COLS);
  const acc64 = new Float64Array(arena.f32.buffer, pAcc, ACC_COLS); // the arena never grows again
  const ref = referenceKernels;

  /** out[o0..o0+n) = a op b, both full (the same-shape case, and rows longer than a chunk). */
  const same = (
    op: number,
    a: Float32Array,
    ia: number,
    b: Float32Array,
    ib: number,
    out: Float32Array,
    o0: number,
    n: number,
  ) => {
    const f32 = arena.f32;
    for (let i0 = 0; i0 < n; i0 += CHUNK) {
      const m = Math.min(CHUNK, n - i0);
      f32.set(a.subarray(ia + i0, ia + i0 + m), pA >> 2);
      f32.set(b.subarray(ib + i0, ib + i0 + m), pB >> 2);
      ex.binaryF32(op, pA, pA, 0, pB, 0, m, 1);
      out.set(f32.subarray(pA >> 2, (pA >> 2) + m), o0 + i0);
    }
  };

  const scalar = (
    op: number,
    x: Float32Array,
    xOff: number,
    s: number,
    left: boolean,
    out: Float32Array,
    n: number,
  ) => {
    const f32 = arena.f32;
    for (let i0 = 0; i0 < n; i0 += CHUNK) {
      const m = Math.min(CHUNK, n - i0);
      f32.set(x.subarray(xOff + i0, xOff + i0 + m), pA >> 2);
      ex.scalarF32(op, pA, pA, s, +left, m);
      out.set(f32.subarray(pA >> 2, (pA >> 2) + m), i0);
    }
  };

  const binaryF32: BinaryF32Kernel = (op, a, aOff, aPeriod, b, bOff, bPeriod, out, n) => {
    if (n < MIN_N) return ref.binaryF32(op, a, aOff, aPeriod, b, bOff, bPeriod, out, n);
    const code = CODE[op];
    if (aPeriod === n && bPeriod === n) return same(code, a, aOff, b, bOff, out, 0, n);
    const aRow = aPeriod < n;
    const [row, rowOff, full, fullOff, p] = aRow ? [a, aOff, b, bOff, aPeriod] : [b, bOff, a, aOff, bPeriod];
    // a one-value row is a scalar: fround(x op s) with s a float32 is the float32 op
    if (p === 1) return scalar(code, full, fullOff, row[rowOff]!, aRow, out, n);
    if (p > CHUNK / 4) {
      for (let r = 0; r < n; r += p) {
        if (aRow) same(code, row, rowOff, full, fullOff + r, out, r, p);
        else same(code, full, fullOff + r, row, rowOff, out, r, p);
      }
      return;
    }
    const f32 = arena.f32;
    f32.set(row.subarray(rowOff, rowOff + p), pR >> 2);
    const step = Math.floor(CHUNK / p) * p;
    for (let i0 = 0; i0 < n; i0 += step) {
      const m = Math.min(step, n - i0);
      f32.set(full.subarray(fullOff + i0, fullOff + i0 + m), pA >> 2);
      if (aRow) ex.binaryF32(code, pA, pR, 1, pA, 0, p, m / p);
      else ex.binaryF32(code, pA, pA, 0, pR, 1, p, m / p);
      out.set(f32.subarray(pA >> 2, (pA >> 2) + m), i0);
    }
  };

  const scalarF32: ScalarF32Kernel = (op, x, xOff, s, scalarLeft, out, n) => {
    if (n < MIN_N) return ref.scalarF32(op, x, xOff, s, scalarLeft, out, n);
    scalar(CODE[op], x, xOff, s, scalarLeft, out, n);
  };

  const relu: Float32MapKernel = (x, xOff, out, outOff, n) => {
    if (n < MIN_N) return ref.relu(x, xOff, out, outOff, n);
    const f32 = arena.f32;
    for (let i0 = 0; i0 < n; i0 += CHUNK) {
      const m = Math.min(CHUNK, n - i0);
      f32.set(x.subarray(xOff + i0, xOff + i0 + m), pA >> 2);
      ex.reluF32(pA, pA, m);
      out.set(f32.subarray(pA >> 2, (pA >> 2) + m), outOff + i0);
    }
  };

  const reluGrad: ReluGradKernel = (dy, dyOff, x, xOff, out, n) => {
    if (n < MIN_N) return ref.reluGrad(dy, dyOff, x, xOff, out, n);
    const f32 = arena.f32;
    for (let i0 = 0; i0 < n; i0 += CHUNK) {
      const m = Math.min(CHUNK, n - i0);
      f32.set(dy.subarray(dyOff + i0, dyOff + i0 + m), pA >> 2);
      f32.set(x.subarray(xOff + i0, xOff + i0 + m), pB >> 2);
      ex.reluGradF32(pA, pB, pA, m);
      out.set(f32.subarray(pA >> 2, (pA >> 2) + m), i0);
    }
  };

  // Rows go through the three operand regions (pA..pR are contiguous), as many whole rows as fit.
  const colSumsF32: ColSumsF32Kernel = (x, xOff, rows, cols, acc) => {
    if (rows * cols < MIN_N || cols > ACC_COLS) return ref.colSumsF32(x, xOff, rows, cols, acc);
    const f32 = arena.f32;
    acc64.set(acc.subarray(0, cols));
    const per = Math.floor((3 * CHUNK) / cols);
    for (let r0 = 0; r0 < rows; r0 += per) {
      const m = Math.min(per, rows - r0);
      f32.set(x.subarray(xOff + r0 * cols, xOff + (r0 + m) * cols), pA >> 2);
      ex.colSumsF32(pA, m, cols, pAcc);
    }
    acc.set(acc64.subarray(0, cols));
  };

  return { binaryF32, scalarF32, relu, reluGrad, colSumsF32 };
}
