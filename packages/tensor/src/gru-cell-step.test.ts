import { describe, expect, it } from 'vitest';
import {
  add,
  Generator,
  gruCellStep,
  gruCellStepGrad,
  mul,
  sigmoid,
  slice,
  sub,
  Tensor,
  tanh,
} from './index.js';

describe('gruCellStep', () => {
  it('gives the composed float32 ops’ values', () => {
    const [n, h] = [3, 5];
    const g = new Generator(4);
    const rand = (len: number) => Float32Array.from({ length: len }, () => g.normal() * 2);
    const xp = rand(3 * n * h);
    const hp = rand(3 * n * h);
    const hd = rand(n * h);
    const gates = new Float32Array(3 * n * h);
    const out = new Float32Array(n * h);
    gruCellStep(xp, hp, hd, n, h, gates, out);
    const [x, hh] = [new Tensor(xp, [n, 3 * h]), new Tensor(hp, [n, 3 * h])];
    const block = (t: Tensor, k: number) => slice(t, 1, k * h, (k + 1) * h).contiguous();
    const r = sigmoid(add(block(x, 0), block(hh, 0)));
    const z = sigmoid(add(block(x, 1), block(hh, 1)));
    const nn = tanh(add(block(x, 2), mul(r, block(hh, 2))));
    const h1 = add(nn, mul(z, sub(new Tensor(hd, [n, h]), nn)));
    expect(Array.from(out)).toEqual(Array.from(h1.toTypedArray()));
    for (let row = 0; row < n; row++)
      expect(Array.from(gates.subarray(row * 3 * h + 2 * h, (row + 1) * 3 * h))).toEqual(
        Array.from(nn.toTypedArray().subarray(row * h, (row + 1) * h)),
      );
  });

  it('names the argument that is wrong', () => {
    const a = (len: number) => new Float32Array(len);
    expect(() => gruCellStep(a(6), a(6), a(2), 1, 2, a(6), a(1))).toThrow(
      'gruCellStep: out must hold at least 2 values for n=1, h=2, received 1',
    );
    expect(() => gruCellStep(a(6), a(6), [0, 0] as never, 1, 2, a(6), a(2))).toThrow(
      /hd must be a Float32Array/,
    );
    expect(() => gruCellStep(a(6), a(6), a(2), -1, 2, a(6), a(2))).toThrow(/n=-1/);
  });
});

describe('gruCellStepGrad', () => {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));

  it('matches central differences of the step (float64)', () => {
    const [n, h] = [2, 3];
    const g = new Generator(9);
    const rand = (len: number) => Float64Array.from({ length: len }, () => g.normal());
    const [xp, hp, hd, d] = [rand(3 * n * h), rand(3 * n * h), rand(n * h), rand(n * h)];
    /** h' of one unit from its x and h projections (r, z, n blocks) and h. */
    const unit = (x: number[], p: number[], hv: number) => {
      const r = sig(x[0]! + p[0]!);
      const z = sig(x[1]! + p[1]!);
      const nn = Math.tanh(x[2]! + r * p[2]!);
      return { r, z, nn, h1: nn + z * (hv - nn) };
    };
    const gates = new Float64Array(3 * n * h);
    const at = (r: number, b: number, k: number) => r * 3 * h + b * h + k;
    const parts = (a: Float64Array, r: number, k: number) => [0, 1, 2].map((b) => a[at(r, b, k)]!);
    for (let r = 0; r < n; r++)
      for (let k = 0; k < h; k++) {
        const u = unit(parts(xp, r, k), parts(hp, r, k), hd[r * h + k]!);
        [u.r, u.z, u.nn].forEach((v, b) => {
          gates[at(r, b, k)] = v;
        });
      }
    const [dx, dhp, dh] = [new Float64Array(3 * n * h), new Float64Array(3 * n * h), new Float64Array(n * h)];
    gruCellStepGrad(gates, hp, hd, d, n, h, dx, dhp, dh);
    const eps = 1e-6;
    for (let r = 0; r < n; r++)
      for (let k = 0; k < h; k++) {
        const [x, p, hv, dv] = [parts(xp, r, k), parts(hp, r, k), hd[r * h + k]!, d[r * h + k]!];
        const loss = (x2: number[], p2: number[]) => dv * unit(x2, p2, hv).h1;
        const bump = (v: number[], b: number, e: number) => v.map((q, j) => (j === b ? q + e : q));
        for (let b = 0; b < 3; b++) {
          expect(dx[at(r, b, k)]).toBeCloseTo(
            (loss(bump(x, b, eps), p) - loss(bump(x, b, -eps), p)) / (2 * eps),
            7,
          );
          expect(dhp[at(r, b, k)]).toBeCloseTo(
            (loss(x, bump(p, b, eps)) - loss(x, bump(p, b, -eps))) / (2 * eps),
            7,
          );
        }
        // dh is only the part through z·h (the part through hp is the caller's product with W_hh)
        expect(dh[r * h + k]).toBeCloseTo(dv * unit(x, p, hv).z, 12);
      }
  });

  it('names the argument that is wrong', () => {
    const a = (len: number) => new Float32Array(len);
    expect(() => gruCellStepGrad(a(6), a(6), a(2), a(1), 1, 2, a(6), a(6), a(2))).toThrow(
      'gruCellStepGrad: d must hold at least 2 values for n=1, h=2, received 1',
    );
    expect(() => gruCellStepGrad(a(6), a(6), a(2), a(2), 1, 2, a(6), new Float64Array(6), a(2))).toThrow(
      'gruCellStepGrad: dhp must be a Float32Array like gates, received Float64Array(6)',
    );
  });
});
