import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitBaseline } from './baseline.js';
import { evaluateModel } from './evaluate.js';
import { trainMf } from './mf.js';
import { BUNDLED_DIR, indexRatings, loadRatings, type RawRatings, randomSplit, subset } from './ratings.js';

// The 30 most active users' ratings (about 20k): enough to learn something in a few seconds.
function activeSubset(): RawRatings {
  const all = loadRatings(join(BUNDLED_DIR, 'ratings.csv'));
  const count = new Map<number, number>();
  for (const u of all.userIds) count.set(u, (count.get(u) ?? 0) + 1);
  const top = new Set(
    [...count.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([u]) => u),
  );
  const rows = [];
  for (let j = 0; j < all.userIds.length; j++) if (top.has(all.userIds[j]!)) rows.push(j);
  return subset(all, rows);
}

describe('trainMf', () => {
  const data = activeSubset();
  const { train, test } = randomSplit(data, 0.2, 7);
  const t = indexRatings(train);
  const opts = { k: 8, epochs: 4, batchSize: 512, lr: 1e-2, l2: 0.1 };

  it('is deterministic for a seed: two runs give identical factors', () => {
    const a = trainMf(t, { ...opts, epochs: 2, seed: 3 });
    const b = trainMf(t, { ...opts, epochs: 2, seed: 3 });
    const c = trainMf(t, { ...opts, epochs: 2, seed: 4 });
    expect(Array.from(b.factors.P)).toEqual(Array.from(a.factors.P));
    expect(Array.from(b.factors.Q)).toEqual(Array.from(a.factors.Q));
    expect(Array.from(b.factors.itemBias)).toEqual(Array.from(a.factors.itemBias));
    expect(Array.from(c.factors.Q)).not.toEqual(Array.from(a.factors.Q));
  });

  it('learns: the training loss falls and held-out RMSE beats the global mean', () => {
    const r = trainMf(t, { ...opts, seed: 0 });
    const losses = r.history.map((h) => h.trainMse);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.9);
    const mf = evaluateModel(r.factors, t, test);
    const meanOnly = evaluateModel(fitBaseline(t, { epochs: 0 }), t, test);
    expect(mf.rmse).toBeLessThan(meanOnly.rmse);
    expect(mf.rmse).toBeLessThan(1.0);
  });

  it('stops with the step named when the loss turns non-finite', () => {
    expect(() => trainMf(t, { ...opts, epochs: 1, lr: 1e30, optimizer: 'sgd' })).toThrow(
      /loss became .* at epoch 1, step \d+/,
    );
  });
});
