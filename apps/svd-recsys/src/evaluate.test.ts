import { describe, expect, it } from 'vitest';
import { evaluateModel, topIndices } from './evaluate.js';
import { emptyModel, type FactorModel } from './factor-model.js';
import { indexRatings } from './ratings.js';

describe('evaluateModel', () => {
  // Train: user 1 rated items 10, 11; user 2 rated item 10. The model ranks by item bias: 13 > 12 > 11 > 10.
  const train = indexRatings({
    userIds: Int32Array.of(1, 1, 2, 2, 2),
    itemIds: Int32Array.of(10, 11, 10, 12, 13),
    ratings: Float32Array.of(4, 2, 3, 5, 4),
  });
  const model: FactorModel = {
    ...emptyModel('baseline', train, 0, 3),
    itemBias: Float64Array.of(-0.5, 0, 0.5, 1),
  };

  it('counts cold starts, predicts them from the biases and scores the rankings', () => {
    const test = {
      userIds: Int32Array.of(1, 1, 2, 9, 1),
      itemIds: Int32Array.of(12, 13, 11, 10, 99),
      ratings: Float32Array.of(5, 3, 4, 4, 5),
    };
    const r = evaluateModel(model, train, test, 1);
    // Predictions: 3.5, 4, 3, 2.5 (new user: μ + b_i), 3 (new item: μ + b_u).
    const err = [5 - 3.5, 3 - 4, 4 - 3, 4 - 2.5, 5 - 3];
    expect(r.rmse).toBeCloseTo(Math.sqrt(err.reduce((s, e) => s + e * e, 0) / 5), 6);
    expect(r.mae).toBeCloseTo(err.reduce((s, e) => s + Math.abs(e), 0) / 5, 6);
    expect(r.coldStart).toEqual({ ratings: 2, users: 1, items: 1, relevantItemsUnrankable: 2 });
    // User 1's candidates are 12, 13 → top-1 is 13 (rated 3, not relevant); user 2's only candidate is 11 (relevant).
    expect(r.rankedUsers).toBe(2);
    expect(r.precisionAt10).toBeCloseTo(0.5, 12);
    expect(r.recallAt10).toBeCloseTo(0.5, 12);
    expect(r.ndcgAt10).toBeCloseTo(0.5, 12);
  });

  it('topIndices picks the k best finite scores, ties to the lower index', () => {
    expect(Array.from(topIndices(Float64Array.of(1, 3, Number.NEGATIVE_INFINITY, 3, 2), 3))).toEqual([
      1, 3, 4,
    ]);
    expect(Array.from(topIndices(Float64Array.of(Number.NEGATIVE_INFINITY, 1), 3))).toEqual([1]);
  });
});
