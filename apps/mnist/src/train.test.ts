import { describe, expect, it } from 'vitest';
import { loadBundledDigits } from './data.js';
import { splitDigits, subset } from './digits.js';
import { RECIPES } from './model.js';
import { accuracyOf, trainMlp } from './train.js';

describe('mnist MLP training (real digits)', () => {
  const { train, test } = splitDigits(loadBundledDigits(), 2000, 1234);

  it('keeps the held-out digits out of the training set', () => {
    expect(train.count).toBe(8000);
    expect(test.count).toBe(2000);
    // Every class is represented on both sides of the seeded split.
    for (const set of [train, test]) expect(new Set(set.labels).size).toBe(10);
  });

  it('reaches ≥ 90% held-out accuracy after 150 steps on 3 000 digits', () => {
    // 3 000 digits × 5 epochs of the reference recipe (Adam 1e-3, batch 100): a real but short run.
    // The full recipe reaches ~95–97%; 90% leaves room for seed noise while catching broken training.
    const small = subset(
      train,
      Array.from({ length: 3000 }, (_, i) => i),
    );
    const held = subset(
      test,
      Array.from({ length: 1000 }, (_, i) => i),
    );
    const result = trainMlp(small, { recipe: { ...RECIPES.reference, epochs: 5 }, seed: 0 });
    expect(result.history).toHaveLength(5);
    expect(result.history[4]!.trainLoss).toBeLessThan(result.history[0]!.trainLoss);
    const acc = accuracyOf(result.model, held);
    console.log(`held-out accuracy after 150 steps: ${(acc * 100).toFixed(2)}%`);
    expect(acc).toBeGreaterThanOrEqual(0.9);
  }, 180_000);

  it('is deterministic for a seed', () => {
    const small = subset(
      train,
      Array.from({ length: 300 }, (_, i) => i),
    );
    const run = () =>
      trainMlp(small, { recipe: { ...RECIPES.default, epochs: 1 }, seed: 3 }).model.stateDict()['6.weight']!;
    const a = run().toTypedArray();
    const b = run().toTypedArray();
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  }, 60_000);
});
