import { describe, expect, it } from 'vitest';
import { add, Generator, gruCellStep, mul, sigmoid, slice, sub, Tensor, tanh } from './index.js';

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
