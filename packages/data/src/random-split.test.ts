import { arange, Generator } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { TensorDataset } from './dataset.js';
import { randomSplit } from './random-split.js';

const ds = new TensorDataset(arange(10));
const values = (s: { length: number; get(i: number): [{ item(): number }] }) =>
  Array.from({ length: s.length }, (_, i) => s.get(i)[0].item());

describe('randomSplit', () => {
  it('splits by counts into disjoint subsets covering the dataset, reproducibly', () => {
    const [a, b] = randomSplit(ds, [7, 3], { generator: new Generator(1) });
    expect([a!.length, b!.length]).toEqual([7, 3]);
    const all = [...values(a as never), ...values(b as never)].sort((p, q) => p - q);
    expect(all).toEqual([...Array(10).keys()]);
    const [a2] = randomSplit(ds, [7, 3], { generator: new Generator(1) });
    expect(values(a2 as never)).toEqual(values(a as never));
    const [a3] = randomSplit(ds, [7, 3], { generator: new Generator(2) });
    expect(values(a3 as never)).not.toEqual(values(a as never));
  });
  it('splits by fractions, dealing the remainder from the first subset (PyTorch rule)', () => {
    // floor(10 * 0.33) = 3 each, remainder 1 goes to the first.
    expect(randomSplit(ds, [0.34, 0.33, 0.33], { generator: new Generator(0) }).map((s) => s.length)).toEqual(
      [4, 3, 3],
    );
    expect(randomSplit(ds, [0.8, 0.2]).map((s) => s.length)).toEqual([8, 2]);
  });
  it('rejects lengths that do not add up', () => {
    expect(() => randomSplit(ds, [5, 4])).toThrow(
      /sum of lengths \(9\) does not equal the dataset length \(10\)/,
    );
    expect(() => randomSplit(ds, [0.5, 0.4])).toThrow(/integers or fractions summing to 1/);
    expect(() => randomSplit(ds, [-1, 11])).toThrow(/non-negative/);
  });
});
