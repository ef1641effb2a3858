import { Generator, type Tensor, tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { Embedding } from './embedding.js';

const arr = (t: Tensor) => Array.from(t.toTypedArray());

describe('Embedding', () => {
  it('looks up rows for indices of any shape', () => {
    const emb = new Embedding(10, 4, { generator: new Generator(1) });
    expect(Object.keys(emb.stateDict())).toEqual(['weight']);
    const idx = tensor(
      [
        [1, 7, 1],
        [0, 9, 3],
      ],
      { dtype: 'int32' },
    );
    const y = emb.forward(idx);
    expect(y.shape).toEqual([2, 3, 4]);
    const w = arr(emb.weight.data);
    const ys = arr(y.data);
    for (const [i, r] of [1, 7, 1, 0, 9, 3].entries()) {
      expect(ys.slice(i * 4, i * 4 + 4)).toEqual(w.slice(r * 4, r * 4 + 4));
    }
  });

  it('initialises the table from N(0, 1)', () => {
    const w = arr(new Embedding(500, 20, { generator: new Generator(2) }).weight.data);
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('accumulates gradients per looked-up row', () => {
    const emb = new Embedding(5, 3);
    emb
      .forward(tensor([2, 2, 4, 2], { dtype: 'int32' }))
      .sum()
      .backward();
    expect(arr(emb.weight.grad!)).toEqual([0, 0, 0, 0, 0, 0, 3, 3, 3, 0, 0, 0, 1, 1, 1]);
  });

  it('starts the paddingIdx row at zero and never gives it a gradient', () => {
    const emb = new Embedding(5, 3, { paddingIdx: -1 });
    expect(emb.paddingIdx).toBe(4);
    expect(arr(emb.weight.data).slice(12)).toEqual([0, 0, 0]);
    // The row's value is still returned (set it non-zero to see), only its gradient is cut.
    emb.weight.data.data.fill(0.5, 12, 15);
    const idx = tensor(
      [
        [4, 1],
        [4, 4],
      ],
      { dtype: 'int32' },
    );
    const y = emb.forward(idx);
    expect(arr(y.data).slice(0, 3)).toEqual([0.5, 0.5, 0.5]);
    y.mul(y).sum().backward();
    const g = arr(emb.weight.grad!);
    expect(g.slice(12)).toEqual([0, 0, 0]);
    expect(g.slice(3, 6)).toEqual(
      arr(emb.weight.data)
        .slice(3, 6)
        .map((v) => 2 * v),
    );
  });

  it('rejects float indices and a bad paddingIdx', () => {
    expect(() => new Embedding(5, 3).forward(tensor([1, 2]))).toThrow(
      /Embedding: indices must be an int32 tensor, received float32/,
    );
    expect(() => new Embedding(5, 3, { paddingIdx: 5 })).toThrow(
      /paddingIdx must be an integer in \[-5, 5\)/,
    );
  });
});
