import { describe, expect, it } from 'vitest';
import { add, Generator, lstmCellStep, mul, sigmoid, slice, Tensor, tanh } from './index.js';

describe('lstmCellStep', () => {
  it('gives the composed float32 ops’ values', () => {
    const [n, h] = [3, 5];
    const g = new Generator(3);
    const rand = (len: number) => Float32Array.from({ length: len }, () => g.normal() * 2);
    const xp = rand(4 * n * h);
    const hp = rand(4 * n * h);
    const c = rand(n * h);
    const gates = new Float32Array(4 * n * h);
    const tanhC = new Float32Array(n * h);
    const out = new Float32Array(2 * n * h);
    lstmCellStep(xp, hp, c, n, h, gates, tanhC, out);
    const z = add(new Tensor(xp, [n, 4 * h]), new Tensor(hp, [n, 4 * h]));
    const block = (k: number) => slice(z, 1, k * h, (k + 1) * h).contiguous();
    const [i, f, gg, o] = [sigmoid(block(0)), sigmoid(block(1)), tanh(block(2)), sigmoid(block(3))];
    const c1 = add(mul(f, new Tensor(c, [n, h])), mul(i, gg));
    const h1 = mul(o, tanh(c1));
    const rows = (t: Tensor) => Array.from(t.toTypedArray());
    for (let r = 0; r < n; r++) {
      const row = (a: Float32Array, w: number, k: number) =>
        Array.from(a.subarray(r * w + k * h, r * w + (k + 1) * h));
      const want = (t: Tensor) => rows(t).slice(r * h, (r + 1) * h);
      expect(row(out, 2 * h, 0)).toEqual(want(h1));
      expect(row(out, 2 * h, 1)).toEqual(want(c1));
      expect(row(gates, 4 * h, 2)).toEqual(want(gg));
      expect(row(tanhC, h, 0)).toEqual(want(tanh(c1)));
    }
  });

  it('names the argument that is wrong', () => {
    const a = (len: number) => new Float32Array(len);
    expect(() => lstmCellStep(a(8), a(8), a(2), 1, 2, a(8), a(2), a(3))).toThrow(
      'lstmCellStep: out must hold at least 4 values for n=1, h=2, received 3',
    );
    expect(() => lstmCellStep(a(8), new Float64Array(8) as never, a(2), 1, 2, a(8), a(2), a(4))).toThrow(
      'lstmCellStep: hp must be a Float32Array, received Float64Array(8)',
    );
    expect(() => lstmCellStep(a(8), a(8), a(2), 1, 0, a(8), a(2), a(4))).toThrow(/h=0/);
  });
});
