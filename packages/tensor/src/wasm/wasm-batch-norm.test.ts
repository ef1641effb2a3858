import { describe, expect, it } from 'vitest';
import { Generator, referenceKernels, slice, sum, Tensor } from '../index.js';
import { createWasmBatchNorm } from './wasm-batch-norm.js';
import { wasmModule } from './wasm-module.js';

// only the plain-SIMD build carries these kernels (see build-wasm.mjs)
const variants = (['simd'] as const).filter((v) => wasmModule(v) !== null);
if (variants.length === 0)
  console.warn('wasm-batch-norm: this engine has no WebAssembly SIMD; only the reference is tested');

/** [n, c, s]: odd spatial sizes (the 4-wide loops' tails), single images/channels/pixels, a CIFAR-sized block. */
const SHAPES: [number, number, number][] = [
  [3, 5, 7],
  [1, 1, 1],
  [2, 3, 1],
  [4, 2, 13],
  [1, 6, 33],
  [8, 32, 64],
  [2, 7, 6],
];

/** Values around `offset` (a large offset is the case the two-pass variance is for). */
function data(size: number, seed: number, offset: number): Float32Array {
  const g = new Generator(seed);
  return Float32Array.from({ length: size }, () => offset + g.normal() * 3);
}
const bits = (a: ArrayLike<number>) => Array.from(a, String);

describe.each(variants)('wasm batch norm (%s) against the reference, bit for bit', (variant) => {
  const bn = createWasmBatchNorm(variant)!;
  const ref = referenceKernels;

  it('is available', () => {
    expect(bn).not.toBeNull();
  });

  for (const [n, c, s] of SHAPES) {
    for (const offset of [0, 1000]) {
      it(`[${n}, ${c}, ${s}], values around ${offset}: moments, affine map and backward`, () => {
        const size = n * c * s;
        const x = data(size, n * 100 + c * 10 + s, offset);
        const want = [new Float64Array(c), new Float64Array(c)] as const;
        const got = [new Float64Array(c), new Float64Array(c)] as const;
        ref.batchNormMoments(x, n, c, s, ...want);
        bn.batchNormMoments(x, n, c, s, ...got);
        expect(bits(got[0])).toEqual(bits(want[0]));
        expect(bits(got[1])).toEqual(bits(want[1]));

        const g = new Generator(size);
        const invStd = Float64Array.from(want[1], (v) => 1 / Math.sqrt(v + 1e-5));
        const scale = Float64Array.from(invStd, (v) => v * (1.5 + 0.25 * g.normal()));
        const shift = Float64Array.from(scale, (v, ch) => g.normal() - want[0][ch]! * v);
        const yWant = new Float32Array(size);
        const yGot = new Float32Array(size);
        ref.batchNormApply(x, n, c, s, scale, shift, yWant);
        bn.batchNormApply(x, n, c, s, scale, shift, yGot);
        expect(bits(yGot)).toEqual(bits(yWant));

        const dy = data(size, size + 7, 0);
        for (const weight of [null, Float32Array.from({ length: c }, () => g.normal())]) {
          for (const training of [true, false]) {
            const dxWant = new Float32Array(size);
            const dxGot = new Float32Array(size);
            const sWant = new Float64Array(2 * c);
            const sGot = new Float64Array(2 * c);
            ref.batchNormGrad(dy, x, n, c, s, want[0], invStd, weight, dxWant, sWant, training);
            bn.batchNormGrad(dy, x, n, c, s, want[0], invStd, weight, dxGot, sGot, training);
            expect(bits(dxGot)).toEqual(bits(dxWant));
            expect(bits(sGot)).toEqual(bits(sWant));
          }
        }
        // and they computed something: y is not x, dx not dy
        expect(yGot.some((v, i) => v !== x[i])).toBe(true);
      });
    }
  }

  it('channel sums equal the reference bit for bit', () => {
    for (const [n, c, s] of SHAPES) {
      const x = data(n * c * s, n + c + s, 1000);
      const want = new Float64Array(c);
      const got = new Float64Array(c);
      ref.channelSums(x, n, c, s, want);
      bn.channelSums(x, n, c, s, got);
      expect(bits(got)).toEqual(bits(want));
    }
    // channels summed side by side (four at a time, then a pair, then one) each keep their own
    // NaN, infinity and signed zero
    const [n, c, s] = [2, 7, 6];
    const x = data(n * c * s, 9, 0);
    x[s + 3] = Number.NaN; // channel 1
    x[3 * s] = Number.POSITIVE_INFINITY; // channel 3
    x[(c + 4) * s + 5] = Number.NEGATIVE_INFINITY; // image 1, channel 4
    for (let k = 0; k < s; k++) x[6 * s + k] = x[(c + 6) * s + k] = -0; // channel 6: all −0
    const want = new Float64Array(c);
    const got = new Float64Array(c);
    ref.channelSums(x, n, c, s, want);
    bn.channelSums(x, n, c, s, got);
    expect(bits(got)).toEqual(bits(want));
    expect([Number.isNaN(got[1]), got[3], got[4], Object.is(got[6], 0)]).toEqual([
      true,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      true,
    ]);
  });

  it('NaN and infinities go where the reference sends them', () => {
    const [n, c, s] = [2, 3, 9];
    const x = data(n * c * s, 5, 0);
    x[4] = Number.NaN; // channel 0
    x[s + 2] = Number.POSITIVE_INFINITY; // channel 1
    const dy = data(n * c * s, 6, 0);
    dy[2 * s + 5] = Number.NEGATIVE_INFINITY; // channel 2
    const m = [new Float64Array(c), new Float64Array(c)] as const;
    const mr = [new Float64Array(c), new Float64Array(c)] as const;
    bn.batchNormMoments(x, n, c, s, ...m);
    ref.batchNormMoments(x, n, c, s, ...mr);
    expect(bits(m[0])).toEqual(bits(mr[0]));
    expect(bits(m[1])).toEqual(bits(mr[1]));
    const invStd = Float64Array.from([1, 0.5, 2]);
    const y = [new Float32Array(n * c * s), new Float32Array(n * c * s)];
    bn.batchNormApply(x, n, c, s, invStd, Float64Array.from([0, 1, -1]), y[0]!);
    ref.batchNormApply(x, n, c, s, invStd, Float64Array.from([0, 1, -1]), y[1]!);
    expect(bits(y[0]!)).toEqual(bits(y[1]!));
    const dx = [new Float32Array(n * c * s), new Float32Array(n * c * s)];
    const sums = [new Float64Array(2 * c), new Float64Array(2 * c)];
    const finiteMean = Float64Array.from([0.1, -0.2, 0.3]);
    bn.batchNormGrad(dy, x, n, c, s, finiteMean, invStd, null, dx[0]!, sums[0]!, true);
    ref.batchNormGrad(dy, x, n, c, s, finiteMean, invStd, null, dx[1]!, sums[1]!, true);
    expect(bits(dx[0]!)).toEqual(bits(dx[1]!));
    expect(bits(sums[0]!)).toEqual(bits(sums[1]!));
  });

  it('float64 data goes to the reference', () => {
    const x = Float64Array.from({ length: 12 }, (_, i) => i * 0.1);
    const got = [new Float64Array(2), new Float64Array(2)] as const;
    const want = [new Float64Array(2), new Float64Array(2)] as const;
    bn.batchNormMoments(x, 2, 2, 3, ...got);
    referenceKernels.batchNormMoments(x, 2, 2, 3, ...want);
    expect(Array.from(got[0])).toEqual(Array.from(want[0]));
    expect(Array.from(got[1])).toEqual(Array.from(want[1]));
  });
});

it('sum over [0, 2, 3] of float32 NCHW (a conv bias gradient) adds each channel in storage order, also from an offset', () => {
  const [N, C, H, W] = [5, 3, 4, 7];
  const big = new Tensor(data((N + 2) * C * H * W, 3, 10), [N + 2, C, H, W]);
  const x = slice(big, 0, 2, N + 2); // contiguous, starting at an offset
  const got = sum(x, [0, 2, 3]).toTypedArray();
  const xd = x.toTypedArray();
  const want = new Float32Array(C);
  for (let ch = 0; ch < C; ch++) {
    let acc = 0;
    for (let i = 0; i < N; i++) for (let k = 0; k < H * W; k++) acc += xd[(i * C + ch) * H * W + k]!;
    want[ch] = acc;
  }
  expect(bits(got)).toEqual(bits(want));
  expect(sum(x, [0, 2, 3], true).shape).toEqual([1, C, 1, 1]);
});
