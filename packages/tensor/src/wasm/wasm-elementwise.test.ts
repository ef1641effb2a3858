import { describe, expect, it } from 'vitest';
import {
  add,
  div,
  Generator,
  mean,
  mul,
  referenceKernels,
  relu,
  reluGrad,
  sub,
  sum,
  Tensor,
  transpose,
} from '../index.js';
import type { ArithOp } from '../kernels.js';
import { createWasmElementwise } from './wasm-elementwise.js';
import { wasmModule } from './wasm-module.js';

// only the plain-SIMD build carries this kernel (no fused multiply-add in it; see build-wasm.mjs)
const variants = (['simd'] as const).filter((v) => wasmModule(v) !== null);
if (variants.length === 0)
  console.warn('wasm-elementwise: this engine has no WebAssembly SIMD; only the reference is tested');

const OPS: ArithOp[] = ['add', 'sub', 'mul', 'div'];
const SPECIAL = [0, -0, Infinity, -Infinity, Number.NaN, 1e-45, -1e-45, 3.4e38, -3.4e38, 1, -1, 0.1];
const EXACT: Record<ArithOp, (x: number, y: number) => number> = {
  add: (x, y) => Math.fround(x + y),
  sub: (x, y) => Math.fround(x - y),
  mul: (x, y) => Math.fround(x * y),
  div: (x, y) => Math.fround(x / y),
};

/** Special values first, then random magnitudes of both signs (zeros and denormals included). */
function values(n: number, seed: number): Float32Array {
  const g = new Generator(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++)
    x[i] =
      i < SPECIAL.length
        ? SPECIAL[(i + seed) % SPECIAL.length]!
        : (g.random() * 2 - 1) * 10 ** (g.random() * 80 - 42);
  return x;
}

/** Same bits, or both NaN (NaN payloads are not specified). */
function sameFloats(got: Float32Array, want: Float32Array): boolean {
  if (got.length !== want.length) return false;
  const gi = new Int32Array(got.buffer, got.byteOffset, got.length);
  const wi = new Int32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < got.length; i++) {
    if (gi[i] !== wi[i] && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) return false;
  }
  return true;
}

// Sizes around the JS-side chunk (16384) and the small-size cutoff; row periods that are a scalar,
// odd, whole SIMD vectors, longer than a quarter chunk, longer than a chunk.
const SIZES = [1, 5, 63, 64, 67, 1000, 16384, 16387, 3 * 16384 + 5];
const PERIODS: [number, number][] = [
  [1, 70],
  [3, 33],
  [8, 700],
  [129, 130],
  [4099, 9],
  [16500, 3],
];

describe('float32 elementwise reference kernels', () => {
  it('compute fround(x op y) with a row repeated along the output', () => {
    const a = values(60, 1);
    const row = values(6, 2);
    for (const op of OPS) {
      const out = new Float32Array(54);
      referenceKernels.binaryF32(op, a, 6, 54, row, 0, 6, out, 54);
      expect(Array.from(out)).toEqual(
        Array.from({ length: 54 }, (_, i) => EXACT[op](a[6 + i]!, row[i % 6]!)),
      );
      referenceKernels.binaryF32(op, row, 0, 6, a, 6, 54, out, 54);
      expect(Array.from(out)).toEqual(
        Array.from({ length: 54 }, (_, i) => EXACT[op](row[i % 6]!, a[6 + i]!)),
      );
    }
  });

  it('scalars are doubles, as in JavaScript', () => {
    const x = new Float32Array([1, 9, 10]);
    const out = new Float32Array(3);
    referenceKernels.scalarF32('mul', x, 0, 0.1, false, out, 3);
    expect(Array.from(out)).toEqual(Array.from(x, (v) => Math.fround(v * 0.1)));
    // 9 · 0.1 and 9 · fround(0.1) round to different float32s: the scalar was not rounded first
    expect(out[1]).not.toBe(Math.fround(9 * Math.fround(0.1)));
    referenceKernels.scalarF32('sub', x, 1, 1, true, out, 2);
    expect(Array.from(out.subarray(0, 2))).toEqual([-8, -9]); // 1 - 9, 1 - 10
  });

  it('relu keeps NaN and sends -0 to +0; its gradient is dy·(x > 0)', () => {
    const x = new Float32Array([-0, 0, Number.NaN, -1, 2, -Infinity, Infinity]);
    const out = new Float32Array(7);
    referenceKernels.relu(x, 0, out, 0, 7);
    expect(Array.from(out).map(String)).toEqual(['0', '0', 'NaN', '0', '2', '0', 'Infinity']);
    expect(Object.is(out[0], 0)).toBe(true);
    const dy = new Float32Array([-1, Infinity, 5, Number.NaN, -3, 2, 1]);
    referenceKernels.reluGrad(dy, 0, x, 0, out, 7);
    expect(Array.from(out).map(String)).toEqual(['0', 'NaN', '0', 'NaN', '-3', '0', '1']);
    expect(Object.is(out[0], -0)).toBe(true);
  });
});

describe.each(variants)('wasm elementwise (%s) against the reference kernels', (variant) => {
  const wasm = createWasmElementwise(variant)!;

  it.each(OPS)('%s: same-shape operands at offsets, bit for bit', (op) => {
    for (const n of SIZES) {
      const a = values(n + 3, 3);
      const b = values(n + 5, 4);
      const want = new Float32Array(n);
      const got = new Float32Array(n);
      referenceKernels.binaryF32(op, a, 3, n, b, 5, n, want, n);
      wasm.binaryF32(op, a, 3, n, b, 5, n, got, n);
      expect(sameFloats(got, want), `n=${n}`).toBe(true);
    }
  });

  it.each(OPS)('%s: a repeated row on either side, bit for bit', (op) => {
    for (const [p, rows] of PERIODS) {
      const n = p * rows;
      const full = values(n + 2, 5);
      const row = values(p + 1, 6);
      for (const rowIsA of [false, true]) {
        const want = new Float32Array(n);
        const got = new Float32Array(n);
        if (rowIsA) {
          referenceKernels.binaryF32(op, row, 1, p, full, 2, n, want, n);
          wasm.binaryF32(op, row, 1, p, full, 2, n, got, n);
        } else {
          referenceKernels.binaryF32(op, full, 2, n, row, 1, p, want, n);
          wasm.binaryF32(op, full, 2, n, row, 1, p, got, n);
        }
        expect(sameFloats(got, want), `p=${p} rows=${rows} rowIsA=${rowIsA}`).toBe(true);
      }
    }
  });

  it.each(OPS)('%s: double scalars on either side, bit for bit', (op) => {
    for (const s of [0.1, -0, 1e-300, 3e38, 1e40, Number.NaN, -Infinity, 7]) {
      for (const n of [5, 1000, 16387]) {
        const x = values(n + 1, 7);
        for (const left of [false, true]) {
          const want = new Float32Array(n);
          const got = new Float32Array(n);
          referenceKernels.scalarF32(op, x, 1, s, left, want, n);
          wasm.scalarF32(op, x, 1, s, left, got, n);
          expect(sameFloats(got, want), `s=${s} n=${n} left=${left}`).toBe(true);
        }
      }
    }
  });

  it('column sums in double, row order, bit for bit (odd widths, wider than its buffer, many chunks)', () => {
    for (const [rows, cols] of [
      [3, 5],
      [100, 512],
      [7, 13],
      [1000, 67],
      [2, 5000],
      [40000, 3],
    ] as [number, number][]) {
      const x = values(rows * cols + 2, 15);
      const start = Float64Array.from({ length: cols }, (_, j) => j * 0.25 - 1);
      const want = start.slice();
      const got = start.slice();
      referenceKernels.colSumsF32(x, 2, rows, cols, want);
      wasm.colSumsF32(x, 2, rows, cols, got);
      expect(
        got.every((v, j) => Object.is(v, want[j]) || (Number.isNaN(v) && Number.isNaN(want[j]))),
        `${rows}×${cols}`,
      ).toBe(true);
    }
  });

  it('relu and its gradient, bit for bit', () => {
    for (const n of SIZES) {
      const x = values(n + 2, 8);
      const dy = values(n + 1, 9);
      const want = new Float32Array(n + 4);
      const got = new Float32Array(n + 4);
      referenceKernels.relu(x, 2, want, 4, n);
      wasm.relu(x, 2, got, 4, n);
      expect(sameFloats(got, want), `relu n=${n}`).toBe(true);
      const gw = new Float32Array(n);
      const gg = new Float32Array(n);
      referenceKernels.reluGrad(dy, 1, x, 2, gw, n);
      wasm.reluGrad(dy, 1, x, 2, gg, n);
      expect(sameFloats(gg, gw), `reluGrad n=${n}`).toBe(true);
    }
  });
});

describe('the ops use the float32 kernels and keep their results', () => {
  // The dtype-generic loops (float64 here) are the oracle: float32 in, the double result rounded.
  const x = new Tensor(values(3 * 1000, 11), [3, 1000]);
  const bias = new Tensor(values(1000, 12), [1000]);
  const x64 = new Tensor(Float64Array.from(x.data), x.shape);
  const bias64 = new Tensor(Float64Array.from(bias.data), bias.shape);
  const f32 = (t: Tensor) => Float32Array.from(t.toTypedArray());

  it.each([
    ['add', add],
    ['sub', sub],
    ['mul', mul],
    ['div', div],
  ] as const)('%s with a bias row, a scalar and a transposed (non-contiguous) operand', (_, f) => {
    expect(sameFloats(f32(f(x, bias)), f32(f(x64, bias64)))).toBe(true);
    expect(sameFloats(f32(f(bias, x)), f32(f(bias64, x64)))).toBe(true);
    expect(sameFloats(f32(f(x, 0.3)), f32(f(x64, 0.3)))).toBe(true);
    expect(sameFloats(f32(f(0.3, x)), f32(f(0.3, x64)))).toBe(true);
    const y = new Tensor(values(3000, 13), [1000, 3]);
    const yt = transpose(y, 0, 1);
    expect(yt.isContiguous()).toBe(false);
    const y64 = transpose(new Tensor(Float64Array.from(y.data), y.shape), 0, 1);
    expect(sameFloats(f32(f(x, yt)), f32(f(x64, y64)))).toBe(true);
  });

  it('sum and mean over leading axes', () => {
    const y = new Tensor(values(4 * 3 * 1000, 16), [4, 3, 1000]);
    const y64 = new Tensor(Float64Array.from(y.data), y.shape);
    for (const axis of [0, [0, 1], 1] as const) {
      expect(sameFloats(f32(sum(y, axis)), f32(sum(y64, axis))), `sum ${axis}`).toBe(true);
      expect(sameFloats(f32(mean(y, axis)), f32(mean(y64, axis))), `mean ${axis}`).toBe(true);
    }
  });

  it('relu and reluGrad', () => {
    expect(sameFloats(f32(relu(x)), f32(relu(x64)))).toBe(true);
    const dy = new Tensor(values(3000, 14), [3, 1000]);
    const dy64 = new Tensor(Float64Array.from(dy.data), dy.shape);
    expect(sameFloats(f32(reluGrad(dy, x)), f32(reluGrad(dy64, x64)))).toBe(true);
  });
});
