import { describe, expect, it } from 'vitest';
import { Generator, referenceKernels, sgdStep } from '../index.js';
import type { SgdScalars } from '../kernels.js';
import { magnitudes } from '../test-utils/magnitudes.js';
import { wasmModule } from './wasm-module.js';
import { createWasmSgd } from './wasm-sgd.js';

const gen = new Generator(31);
// only the plain-SIMD build carries this kernel (see build-wasm.mjs)
const variants = (['simd'] as const).filter((v) => wasmModule(v) !== null);
if (variants.length === 0)
  console.warn('wasm-sgd: this engine has no WebAssembly SIMD; only the reference is tested');

const values = (n: number) => magnitudes(gen, n, { nonFinite: true });

const f = Math.fround;
/** Scalars as nn's SGD computes them (float32-rounded). */
const scalars = (o: {
  wd?: number;
  mom?: number;
  damp?: number;
  nesterov?: boolean;
  first?: boolean;
}): SgdScalars => ({
  weightDecay: f(o.wd ?? 0),
  momentum: f(o.mom ?? 0),
  oneMinusDampening: f(1 - (o.damp ?? 0)),
  negLr: f(-0.01),
  nesterov: o.nesterov ?? false,
  first: o.first ?? false,
});

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe.each(variants)('wasm sgd (%s) against the reference kernel', (variant) => {
  const { sgd } = createWasmSgd(variant)!;
  const settings = [
    { name: 'plain' },
    { name: 'weight decay', wd: 1e-2 },
    { name: 'momentum, first step', mom: 0.9, first: true },
    { name: 'momentum, dampening, weight decay', mom: 0.9, damp: 0.1, wd: 5e-4 },
    { name: 'Nesterov', mom: 0.9, nesterov: true, wd: 1e-4 },
  ];
  // 8192·2 + 5 crosses the chunk boundary twice
  for (const s of settings) {
    it.each([1, 7, 8192 * 2 + 5])(`${s.name}: bit-identical over 3 steps, n = %i`, (n) => {
      const hasBuf = s.mom !== undefined;
      const [w0, g, b0] = [values(n), values(n), values(n)];
      const [w1, b1, wInit] = [w0.slice(), b0.slice(), w0.slice()];
      for (let t = 0; t < 3; t++) {
        const sc = scalars({ ...s, first: s.first === true && t === 0 });
        referenceKernels.sgd(w0, g, hasBuf ? b0 : null, sc);
        sgd(w1, g, hasBuf ? b1 : null, sc);
      }
      expect(bits(w1)).toEqual(bits(w0));
      expect(bits(b1)).toEqual(bits(b0));
      // and the update did something
      expect(bits(w0)).not.toEqual(bits(wInit));
    });
  }
});

describe('sgdStep', () => {
  it('checks its arrays', () => {
    const w = new Float32Array(3);
    const s = scalars({});
    expect(() => sgdStep(w, new Float32Array(2), null, s)).toThrow(
      /g must have w's length 3, received length 2/,
    );
    expect(() => sgdStep(w, new Float64Array(3) as never, null, s)).toThrow(/g must be a Float32Array/);
    expect(() => sgdStep(w, new Float32Array(3), new Float32Array(4), s)).toThrow(
      /buf must have w's length 3/,
    );
  });

  it('one plain step is w − lr·g, rounded to float32', () => {
    const w = Float32Array.from([1, 2, -3]);
    sgdStep(w, Float32Array.from([0.5, -1, 0.25]), null, scalars({}));
    expect(Array.from(w)).toEqual([1, 2, -3].map((v, i) => f(v + f(-0.01) * [0.5, -1, 0.25][i]!)));
  });
});
