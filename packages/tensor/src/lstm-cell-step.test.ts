import { describe, expect, it } from 'vitest';
import {
  add,
  Generator,
  lstmCellStep,
  lstmCellStepGrad,
  mul,
  sigmoid,
  slice,
  Tensor,
  tanh,
} from './index.js';

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

  it('adds hpBias to hp first, as a separate add would (hp unchanged)', () => {
    const [n, h] = [3, 5];
    const g = new Generator(5);
    const rand = (len: number) => Float32Array.from({ length: len }, () => g.normal() * 2);
    const [xp, hp, c, hb] = [rand(4 * n * h), rand(4 * n * h), rand(n * h), rand(4 * h)];
    const hp0 = hp.slice();
    const run = (p: Float32Array, b?: Float32Array) => {
      const r = [new Float32Array(4 * n * h), new Float32Array(n * h), new Float32Array(2 * n * h)] as const;
      lstmCellStep(xp, p, c, n, h, ...r, b);
      return r.map((a) => Array.from(a));
    };
    const summed = add(new Tensor(hp, [n, 4 * h]), new Tensor(hb, [4 * h])).toTypedArray() as Float32Array;
    expect(run(hp, hb)).toEqual(run(summed));
    expect(run(hp, hb)).not.toEqual(run(hp));
    expect(Array.from(hp)).toEqual(Array.from(hp0));
  });

  it('names the argument that is wrong', () => {
    const a = (len: number) => new Float32Array(len);
    expect(() => lstmCellStep(a(8), a(8), a(2), 1, 2, a(8), a(2), a(4), a(7))).toThrow(
      'lstmCellStep: hpBias must hold at least 8 values for n=1, h=2, received 7',
    );
    expect(() => lstmCellStep(a(8), a(8), a(2), 1, 2, a(8), a(2), a(3))).toThrow(
      'lstmCellStep: out must hold at least 4 values for n=1, h=2, received 3',
    );
    expect(() => lstmCellStep(a(8), new Float64Array(8) as never, a(2), 1, 2, a(8), a(2), a(4))).toThrow(
      'lstmCellStep: hp must be a Float32Array, received Float64Array(8)',
    );
    expect(() => lstmCellStep(a(8), a(8), a(2), 1, 0, a(8), a(2), a(4))).toThrow(/h=0/);
  });
});

describe('lstmCellStepGrad', () => {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  /** h' and c' of one unit from its pre-activations z = [i, f, g, o] and c, in double. */
  const unit = (z: number[], c: number) => {
    const c1 = sig(z[1]!) * c + sig(z[0]!) * Math.tanh(z[2]!);
    return [sig(z[3]!) * Math.tanh(c1), c1] as const;
  };

  it('matches central differences of the step (float64), d read interleaved as [n, 2h]', () => {
    const [n, h] = [2, 3];
    const g = new Generator(8);
    const z = Float64Array.from({ length: 4 * n * h }, () => g.normal());
    const c = Float64Array.from({ length: n * h }, () => g.normal());
    const d = Float64Array.from({ length: 2 * n * h }, () => g.normal()); // dh | dc rows
    const gates = new Float64Array(4 * n * h);
    const tanhC = new Float64Array(n * h);
    for (let r = 0; r < n; r++)
      for (let k = 0; k < h; k++) {
        const at = (b: number) => r * 4 * h + b * h + k;
        const zs = [0, 1, 2, 3].map((b) => z[at(b)]!);
        [0, 1, 3].forEach((b) => {
          gates[at(b)] = sig(zs[b]!);
        });
        gates[at(2)] = Math.tanh(zs[2]!);
        tanhC[r * h + k] = Math.tanh(unit(zs, c[r * h + k]!)[1]);
      }
    const dz = new Float64Array(4 * n * h);
    const dc = new Float64Array(n * h);
    lstmCellStepGrad(gates, tanhC, c, d, 0, d, h, 2 * h, n, h, dz, dc);
    const eps = 1e-6;
    for (let r = 0; r < n; r++)
      for (let k = 0; k < h; k++) {
        const at = (b: number) => r * 4 * h + b * h + k;
        const loss = (zs: number[], cv: number) => {
          const [h1, c1] = unit(zs, cv);
          return d[r * 2 * h + k]! * h1 + d[r * 2 * h + h + k]! * c1;
        };
        const zs = [0, 1, 2, 3].map((b) => z[at(b)]!);
        const cv = c[r * h + k]!;
        for (let b = 0; b < 4; b++) {
          const up = zs.map((v, j) => (j === b ? v + eps : v));
          const dn = zs.map((v, j) => (j === b ? v - eps : v));
          expect(dz[at(b)]).toBeCloseTo((loss(up, cv) - loss(dn, cv)) / (2 * eps), 7);
        }
        expect(dc[r * h + k]).toBeCloseTo((loss(zs, cv + eps) - loss(zs, cv - eps)) / (2 * eps), 7);
      }
  });

  it('names the argument that is wrong', () => {
    const a = (len: number) => new Float32Array(len);
    // the last row needs only h values past its start: dcOff 2 fits in 4, 3 does not
    expect(() => lstmCellStepGrad(a(8), a(2), a(2), a(4), 0, a(4), 2, 4, 1, 2, a(8), a(2))).not.toThrow();
    expect(() => lstmCellStepGrad(a(8), a(2), a(2), a(4), 0, a(4), 3, 4, 1, 2, a(8), a(2))).toThrow(
      'lstmCellStepGrad: dC must hold at least 5 values for n=1, h=2, ld=4, received 4',
    );
    expect(() =>
      lstmCellStepGrad(a(8), a(2), new Float64Array(2), a(4), 0, a(4), 0, 2, 1, 2, a(8), a(2)),
    ).toThrow('lstmCellStepGrad: c must be a Float32Array like gates, received Float64Array(2)');
    expect(() => lstmCellStepGrad(a(8), a(2), a(2), a(4), 0, a(4), 0, 1, 1, 2, a(8), a(2))).toThrow(
      'lstmCellStepGrad: ld must be an integer ≥ h=2, received 1',
    );
  });
});
