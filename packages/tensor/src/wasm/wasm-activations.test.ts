import { describe, expect, it } from 'vitest';
import { Generator, referenceKernels, sigmoid, Tensor, tanh } from '../index.js';
import { createWasmActivations } from './wasm-activations.js';
import { wasmModule } from './wasm-module.js';

// only the plain-SIMD build carries this kernel (no fused multiply-add in it; see build-wasm.mjs)
const variants = (['simd'] as const).filter((v) => wasmModule(v) !== null);
if (variants.length === 0)
  console.warn('wasm-activations: this engine has no WebAssembly SIMD; only the reference is tested');

const SPECIAL = [
  0,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  1e-45,
  -1e-45,
  1e-30,
  -1e-30,
  0.5,
  -0.5,
  9,
  -9,
  17.5,
  -17.5,
  88.7,
  -88.7,
  104,
  -104,
  200,
  -200,
  3.4e38,
  -3.4e38,
];

/** Special values, then magnitudes from 1e-7 to 3e2 of both signs (odd length: the scalar tail runs). */
function inputs(n: number): Float32Array {
  const g = new Generator(41);
  const x = new Float32Array(n);
  x.set(SPECIAL);
  for (let i = SPECIAL.length; i < n; i++) x[i] = (g.random() * 2 - 1) * 10 ** (g.random() * 9 - 7) * 30;
  return x;
}

function ulps(a: number, b: number): number {
  if (Number.isNaN(a) && Number.isNaN(b)) return 0;
  const i = new Int32Array(new Float32Array([a, b]).buffer);
  return Math.abs(i[0]! - i[1]!);
}

describe.each(variants)('wasm sigmoid/tanh (%s) against the reference kernels', (variant) => {
  const wasm = createWasmActivations(variant)!;
  it.each(['sigmoid', 'tanh'] as const)('%s: special values exact, others correctly rounded', (name) => {
    const n = 200_003;
    const x = inputs(n);
    const want = new Float32Array(n);
    const got = new Float32Array(n);
    referenceKernels[name](x, 0, want, 0, n);
    wasm[name](x, 0, got, 0, n);
    for (let i = 0; i < SPECIAL.length; i++)
      expect(Object.is(got[i], want[i]) || ulps(got[i]!, want[i]!) === 0).toBe(true);
    let off = 0;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const u = ulps(got[i]!, want[i]!);
      if (u) off++;
      worst = Math.max(worst, u);
    }
    // Evaluated in double: a float32 result can differ only when the exact value sits within ~1e-16
    // of a rounding boundary (none in these inputs when written); never by more than 1 ulp.
    expect(worst).toBeLessThanOrEqual(1);
    expect(off).toBeLessThanOrEqual(2);
  });

  it('honours offsets and works in place', () => {
    const x = inputs(37);
    const want = new Float32Array(40);
    referenceKernels.tanh(x, 3, want, 5, 30);
    const got = new Float32Array(40);
    wasm.tanh(x, 3, got, 5, 30);
    expect(Array.from(got)).toEqual(Array.from(want));
    const y = x.slice();
    wasm.sigmoid(y, 0, y, 0, 37);
    const w = new Float32Array(37);
    referenceKernels.sigmoid(x, 0, w, 0, 37);
    expect(Array.from(y).map(String)).toEqual(Array.from(w).map(String));
  });
});

/** len inputs (special values first), from position `skip` so that arrays cut with different skips differ. */
const some = (len: number, skip: number, squash?: (v: number) => number) => {
  const x = inputs(len + skip + SPECIAL.length).subarray(skip, skip + len);
  return squash ? Float32Array.from(x, squash) : x;
};
/** The same float32 values, bit for bit (NaN included). */
const same = (got: Float32Array, want: Float32Array, what: string) =>
  expect(Array.from(got).map(String), what).toEqual(Array.from(want).map(String));
// (n, h): tails (h not a multiple of 4), several row chunks (256 KB per chunk: 64 rows at h = 64),
// one row per chunk, and a row too wide for the chunk (the reference runs)
const LSTM_SHAPES = [
  [1, 1],
  [3, 5],
  [64, 64],
  [70, 64],
  [5, 1100],
  [2, 5000],
];

describe.each(variants)('wasm LSTM step (%s) against the reference kernel', (variant) => {
  const wasm = createWasmActivations(variant)!;
  it.each(LSTM_SHAPES)('n=%i h=%i: bit for bit, special values included', (n, h) => {
    const xp = some(4 * n * h, 0);
    const hp = some(4 * n * h, 3);
    const c = some(n * h, 7);
    const hb = some(4 * h, 11);
    const run = (k: typeof referenceKernels.lstmCell, bias?: Float32Array) => {
      const r = {
        gates: new Float32Array(4 * n * h),
        tanhC: new Float32Array(n * h),
        out: new Float32Array(2 * n * h),
      };
      k(xp, hp, c, n, h, r.gates, r.tanhC, r.out, bias);
      return r;
    };
    for (const bias of [undefined, hb]) {
      const want = run(referenceKernels.lstmCell, bias);
      const got = run(wasm.lstmCell, bias);
      for (const key of ['gates', 'tanhC', 'out'] as const) same(got[key], want[key], key);
    }
  });
});

describe.each(variants)('wasm GRU step (%s) against the reference kernel', (variant) => {
  const wasm = createWasmActivations(variant)!;
  it.each([
    [1, 1],
    [3, 5],
    [64, 64],
    [100, 64],
    [5, 1100],
    [2, 6000],
  ])('n=%i h=%i: bit for bit, special values included', (n, h) => {
    const xp = some(3 * n * h, 0);
    const hp = some(3 * n * h, 5);
    const hd = some(n * h, 9);
    const run = (k: typeof referenceKernels.gruCell) => {
      const r = { gates: new Float32Array(3 * n * h), out: new Float32Array(n * h) };
      k(xp, hp, hd, n, h, r.gates, r.out);
      return r;
    };
    const want = run(referenceKernels.gruCell);
    const got = run(wasm.gruCell);
    for (const key of ['gates', 'out'] as const) same(got[key], want[key], key);
  });
});

describe.each(variants)('wasm LSTM and GRU step backward (%s) against the reference kernels', (variant) => {
  const wasm = createWasmActivations(variant)!;
  // gate-like values in (0, 1) and (−1, 1), gradients of both signs; special values at the front
  const sig = (v: number) => 1 / (1 + Math.exp(-v));

  it.each(LSTM_SHAPES)(
    'LSTM n=%i h=%i: bit for bit, with h′/c′ gradients interleaved in one array',
    (n, h) => {
      const gates = some(4 * n * h, 0, sig);
      const tanhC = some(n * h, 2, Math.tanh);
      const c = some(n * h, 4);
      const d = some(2 * n * h, 6); // [n, 2h]: dh | dc per row, as the lstmCell op's output gradient
      const dH = some(n * h + 3, 8); // separate arrays, from offset 3
      const dC = some(n * h, 10);
      for (const [a, aOff, b, bOff, ld] of [
        [d, 0, d, h, 2 * h],
        [dH, 3, dC, 0, h],
      ] as const) {
        const run = (k: typeof referenceKernels.lstmCellGrad) => {
          const r = { dz: new Float32Array(4 * n * h), dc: new Float32Array(n * h) };
          k(gates, tanhC, c, a, aOff, b, bOff, ld, n, h, r.dz, r.dc);
          return r;
        };
        const want = run(referenceKernels.lstmCellGrad);
        const got = run(wasm.lstmCellGrad);
        same(got.dz, want.dz, 'dz');
        same(got.dc, want.dc, 'dc');
      }
    },
  );

  it.each(LSTM_SHAPES)('GRU n=%i h=%i: bit for bit', (n, h) => {
    const gates = some(3 * n * h, 0, sig);
    const hp = some(3 * n * h, 2);
    const hd = some(n * h, 4);
    const d = some(n * h, 6);
    const run = (k: typeof referenceKernels.gruCellGrad) => {
      const r = {
        dx: new Float32Array(3 * n * h),
        dhp: new Float32Array(3 * n * h),
        dh: new Float32Array(n * h),
      };
      k(gates, hp, hd, d, n, h, r.dx, r.dhp, r.dh);
      return r;
    };
    const want = run(referenceKernels.gruCellGrad);
    const got = run(wasm.gruCellGrad);
    for (const key of ['dx', 'dhp', 'dh'] as const) same(got[key], want[key], key);
  });

  it('float64 arrays go to the reference', () => {
    const [n, h] = [2, 3];
    const g = Float64Array.from({ length: 4 * n * h }, (_, i) => 0.1 + i / 40);
    const v = Float64Array.from({ length: n * h }, (_, i) => i / 7 - 0.3);
    const want = { dz: new Float64Array(4 * n * h), dc: new Float64Array(n * h) };
    const got = { dz: new Float64Array(4 * n * h), dc: new Float64Array(n * h) };
    referenceKernels.lstmCellGrad(g, v, v, v, 0, v, 0, h, n, h, want.dz, want.dc);
    wasm.lstmCellGrad(g, v, v, v, 0, v, 0, h, n, h, got.dz, got.dc);
    expect(Array.from(got.dz)).toEqual(Array.from(want.dz));
    expect(Array.from(got.dc)).toEqual(Array.from(want.dc));
  });
});

describe('sigmoid/tanh ops use the kernels', () => {
  it('float32 tensors go through the installed kernel; float64 keeps Math', () => {
    const x = new Tensor(new Float32Array([-3, 0, 2.5]), [3]);
    expect(Array.from(sigmoid(x).toTypedArray())).toEqual(
      [1 / (1 + Math.exp(3)), 0.5, 1 / (1 + Math.exp(-2.5))].map(Math.fround),
    );
    expect(Array.from(tanh(x).toTypedArray())).toEqual([Math.tanh(-3), 0, Math.tanh(2.5)].map(Math.fround));
    const x64 = new Tensor(new Float64Array([-3, 0, 2.5]), [3]);
    expect(Array.from(tanh(x64).toTypedArray())).toEqual([Math.tanh(-3), 0, Math.tanh(2.5)]);
  });
});
