import { arange, Generator, type Tensor, tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { DataLoader } from './data-loader.js';
import { Dataset, TensorDataset } from './dataset.js';

const n = 10;
const ds = () => new TensorDataset(arange(n).reshape([n, 1]), arange(n).mul(10));

async function epoch(loader: AsyncIterable<readonly Tensor[]>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const batch of loader) out.push(Array.from(batch[0]!.toTypedArray()));
  return out;
}

/** A dataset without a batch fast path, to exercise get + collate. */
class Squares extends Dataset<[number, number]> {
  get length() {
    return 7;
  }
  get(i: number): [number, number] {
    return [i, i * i];
  }
}

describe('DataLoader', () => {
  it('batches in order without shuffle and reports the number of batches', async () => {
    const loader = new DataLoader(ds(), { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = await epoch(loader);
    expect(batches).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    for (const [x, y] of loader)
      expect(Array.from(y.toTypedArray())).toEqual(Array.from(x.toTypedArray(), (v) => v * 10));
  });
  it('honours dropLast', async () => {
    const loader = new DataLoader(ds(), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect((await epoch(loader)).map((b) => b.length)).toEqual([4, 4]);
    expect(new DataLoader(ds(), { batchSize: 20, dropLast: true }).length).toBe(0);
    expect(await epoch(new DataLoader(ds(), { batchSize: 20, dropLast: true }))).toEqual([]);
  });
  it('same seed gives the same order, different seeds and later epochs differ, every sample once', async () => {
    const a = new DataLoader(ds(), { batchSize: 3, shuffle: true, generator: new Generator(42) });
    const b = new DataLoader(ds(), { batchSize: 3, shuffle: true, generator: new Generator(42) });
    const c = new DataLoader(ds(), { batchSize: 3, shuffle: true, generator: new Generator(7) });
    const a1 = await epoch(a);
    const a2 = await epoch(a);
    expect(a1).toEqual(await epoch(b));
    expect(a2).toEqual(await epoch(b));
    expect(a1).not.toEqual(a2);
    expect(a1).not.toEqual(await epoch(c));
    for (const e of [a1, a2]) {
      expect(e.map((x) => x.length)).toEqual([3, 3, 3, 1]);
      expect(e.flat().sort((p, q) => p - q)).toEqual([...Array(n).keys()]);
    }
    // The sync iterator draws the same permutations as the async one.
    const s = new DataLoader(ds(), { batchSize: 3, shuffle: true, generator: new Generator(42) });
    expect([...s].map(([x]) => Array.from(x.toTypedArray()))).toEqual(a1);
  });
  it('collates samples of a plain Dataset and accepts a custom collate', async () => {
    const batches = [];
    for await (const [i, sq] of new DataLoader(new Squares(), { batchSize: 3 }))
      batches.push([i.toArray(), sq.toArray()]);
    expect(batches).toEqual([
      [
        [0, 1, 2],
        [0, 1, 4],
      ],
      [
        [3, 4, 5],
        [9, 16, 25],
      ],
      [[6], [36]],
    ]);
    const sums = [
      ...new DataLoader(new Squares(), { batchSize: 4, collate: (s) => s.reduce((a, [, q]) => a + q, 0) }),
    ];
    expect(sums).toEqual([0 + 1 + 4 + 9, 16 + 25 + 36]);
  });
  it('prefetches: the next batch is built while the consumer awaits', async () => {
    const built: number[] = [];
    const loader = new DataLoader(new Squares(), {
      batchSize: 2,
      collate: (s) => {
        built.push(s[0]![0]);
        return s[0]![0];
      },
    });
    const seen: number[][] = [];
    for await (const first of loader) {
      await new Promise((r) => setTimeout(r, 5)); // the consumer works asynchronously
      seen.push([first, built.length]);
    }
    // While batch k is consumed, batch k+1 has already been built (except after the last).
    expect(seen).toEqual([
      [0, 2],
      [2, 3],
      [4, 4],
      [6, 4],
    ]);
  });
  it('rethrows a failing batch at the consumer and validates options', async () => {
    const loader = new DataLoader(new Squares(), {
      collate: () => {
        throw new Error('boom');
      },
    });
    await expect(epoch(loader)).rejects.toThrow('boom');
    expect(() => new DataLoader(ds(), { batchSize: 0 })).toThrow(
      /batchSize must be a positive integer, received 0/,
    );
    expect(() => new DataLoader({} as never)).toThrow(/dataset must be a Dataset/);
  });
  it('is fast on a TensorDataset (gathers rows directly)', () => {
    const big = new TensorDataset(
      tensor(new Float32Array(60000 * 784), { shape: [60000, 784] }),
      arange(60000),
    );
    const t0 = performance.now();
    let rows = 0;
    for (const [x] of new DataLoader(big, { batchSize: 128, shuffle: true, generator: new Generator(1) }))
      rows += x.shape[0]!;
    expect(rows).toBe(60000);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
