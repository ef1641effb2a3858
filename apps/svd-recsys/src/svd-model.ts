import { Generator, linalg, Tensor } from '@tsdl/tensor';
import { emptyModel, type FactorModel, meanRating } from './factor-model.js';
import type { TrainSet } from './ratings.js';

export interface SvdModelOptions {
  /** Seed of truncatedSvd's random test matrix (default 0). */
  seed?: number;
}

/**
 * The textbook SVD recommender: subtract each user's mean rating, fill the unknown entries with 0
 * (= "exactly the user's mean"), keep the top k singular triplets of that users × items matrix
 * (randomised truncatedSvd: the matrix is ~98% zeros) and read predictions off the rank-k
 * reconstruction plus the user mean. Stored as a factor model with P = U√Σ and Q = V√Σ, so that
 * p_u · q_i is entry (u, i) of U Σ Vᵀ.
 */
export function fitSvd(train: TrainSet, k: number, opts: SvdModelOptions = {}): FactorModel {
  const { nUsers, nItems, users, items, ratings } = train;
  const mu = meanRating(ratings);
  const sum = new Float64Array(nUsers);
  const cnt = new Float64Array(nUsers);
  for (let j = 0; j < ratings.length; j++) {
    sum[users[j]!]! += ratings[j]!;
    cnt[users[j]!]! += 1;
  }
  const userMean = sum.map((s, u) => s / cnt[u]!);
  const R = new Float64Array(nUsers * nItems);
  for (let j = 0; j < ratings.length; j++) {
    const u = users[j]!;
    // A rating exactly at the user's mean stays an explicit 0: the same as unknown, as the method says.
    R[u * nItems + items[j]!] = ratings[j]! - userMean[u]!;
  }
  const { U, S, Vh } = linalg.truncatedSvd(new Tensor(R, [nUsers, nItems]), k, {
    generator: new Generator(opts.seed ?? 0),
  });
  const u = U.data as Float64Array;
  const s = S.data as Float64Array;
  const vh = Vh.data as Float64Array;
  const m = emptyModel('svd', train, k, mu);
  for (let c = 0; c < k; c++) {
    const r = Math.sqrt(s[c]!);
    for (let a = 0; a < nUsers; a++) m.P[a * k + c] = u[a * k + c]! * r;
    for (let i = 0; i < nItems; i++) m.Q[i * k + c] = vh[c * nItems + i]! * r;
  }
  for (let a = 0; a < nUsers; a++) m.userBias[a] = userMean[a]! - mu;
  return m;
}
