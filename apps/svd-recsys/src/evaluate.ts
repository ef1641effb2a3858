import { mae, ndcgAtK, precisionAtK, recallAtK, rmse } from '@tsdl/metrics';
import { type FactorModel, predict, scoreAll } from './factor-model.js';
import type { RawRatings, TrainSet } from './ratings.js';

/** Ratings at or above this in the test part are the relevant items of the ranking metrics. */
export const RELEVANT = 4;

export interface EvalResult {
  rmse: number;
  mae: number;
  precisionAt10: number;
  recallAt10: number;
  ndcgAt10: number;
  testRatings: number;
  /** Users with at least one relevant test item among the items known from training (the ranking metrics average over them). */
  rankedUsers: number;
  /** Test ratings whose user or item is absent from training: predicted from biases / the global mean. */
  coldStart: { ratings: number; users: number; items: number; relevantItemsUnrankable: number };
}

/** Test ratings mapped to the training indices (−1 where the user or item is new). */
export function indexTest(
  train: TrainSet,
  test: RawRatings,
): { users: Int32Array; items: Int32Array; ratings: Float32Array } {
  const n = test.ratings.length;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    users[j] = train.userIndex.get(test.userIds[j]!) ?? -1;
    items[j] = train.itemIndex.get(test.itemIds[j]!) ?? -1;
  }
  return { users, items, ratings: test.ratings };
}

/** For each user index, the item indices rated in training (CSR). */
export function ratedByUser(train: TrainSet): { ptr: Int32Array; items: Int32Array } {
  const ptr = new Int32Array(train.nUsers + 1);
  for (let j = 0; j < train.users.length; j++) ptr[train.users[j]! + 1]! += 1;
  for (let u = 0; u < train.nUsers; u++) ptr[u + 1]! += ptr[u]!;
  const fill = ptr.slice(0, train.nUsers);
  const items = new Int32Array(train.users.length);
  for (let j = 0; j < train.users.length; j++) items[fill[train.users[j]!]!++] = train.items[j]!;
  return { ptr, items };
}

/**
 * RMSE and MAE of the clipped predictions on every held-out rating (cold starts included), and
 * precision/recall/NDCG at `k` per user: the user's training items are removed, every other known
 * item is ranked by its unclipped score, and the test items rated ≥ 4 are the relevant ones.
 */
export function evaluateModel(model: FactorModel, train: TrainSet, test: RawRatings, k = 10): EvalResult {
  const t = indexTest(train, test);
  const n = t.ratings.length;
  const pred = new Float64Array(n);
  const coldUsers = new Set<number>();
  const coldItems = new Set<number>();
  let coldRatings = 0;
  let unrankable = 0;
  const relevant = new Map<number, number[]>();
  for (let j = 0; j < n; j++) {
    const u = t.users[j]!;
    const i = t.items[j]!;
    pred[j] = predict(model, u, i);
    if (u < 0) coldUsers.add(test.userIds[j]!);
    if (i < 0) coldItems.add(test.itemIds[j]!);
    if (u < 0 || i < 0) coldRatings++;
    if (t.ratings[j]! < RELEVANT) continue;
    if (u < 0 || i < 0) {
      unrankable++;
      continue;
    }
    let list = relevant.get(u);
    if (!list) {
      list = [];
      relevant.set(u, list);
    }
    list.push(i);
  }
  const yTrue = Float64Array.from(t.ratings);

  // Each ranked user's top k among the known items not rated in training (by unclipped score; ties → lower index).
  const rated = ratedByUser(train);
  const scores = new Float64Array(train.nItems);
  const relSets: Set<number>[] = [];
  const ranked: Int32Array[] = [];
  for (const [u, rel] of relevant) {
    scoreAll(model, u, scores);
    for (let q = rated.ptr[u]!; q < rated.ptr[u + 1]!; q++)
      scores[rated.items[q]!] = Number.NEGATIVE_INFINITY;
    relSets.push(new Set(rel));
    ranked.push(topIndices(scores, k));
  }
  return {
    rmse: rmse(yTrue, pred),
    mae: mae(yTrue, pred),
    // Mean over the users with a relevant test item (users without one are not ranked at all).
    precisionAt10: ranked.length > 0 ? precisionAtK(relSets, ranked, k) : 0,
    recallAt10: ranked.length > 0 ? recallAtK(relSets, ranked, k) : 0,
    ndcgAt10: ranked.length > 0 ? ndcgAtK(relSets, ranked, k) : 0,
    testRatings: n,
    rankedUsers: relevant.size,
    coldStart: {
      ratings: coldRatings,
      users: coldUsers.size,
      items: coldItems.size,
      relevantItemsUnrankable: unrankable,
    },
  };
}

/** Positions of the k largest finite scores, best first, ties to the lower index. */
export function topIndices(scores: Float64Array, k: number): Int32Array {
  const bv: number[] = [];
  const bi: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i]!;
    if (v === Number.NEGATIVE_INFINITY || (bv.length === k && !(v > bv[k - 1]!))) continue;
    let p = bv.length < k ? bv.length : k - 1;
    if (bv.length < k) {
      bv.push(v);
      bi.push(i);
    }
    while (p > 0 && v > bv[p - 1]!) {
      bv[p] = bv[p - 1]!;
      bi[p] = bi[p - 1]!;
      p--;
    }
    bv[p] = v;
    bi[p] = i;
  }
  return Int32Array.from(bi);
}
