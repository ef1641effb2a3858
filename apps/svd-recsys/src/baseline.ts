import { emptyModel, type FactorModel, meanRating } from './factor-model.js';
import type { TrainSet } from './ratings.js';

export interface BaselineOptions {
  /** Shrinkage of the user biases (Surprise's reg_u, default 15). */
  regU?: number;
  /** Shrinkage of the item biases (Surprise's reg_i, default 10). */
  regI?: number;
  /** Alternating passes (Surprise's n_epochs, default 10). */
  epochs?: number;
}

/**
 * r̂ = μ + b_u + b_i by alternating least squares, exactly as Surprise's BaselineOnly with
 * bsl_options {'method': 'als'}: each pass sets every item bias, then every user bias, to its
 * regularised closed-form optimum with the others fixed:
 *   b_i = Σ_{u∈R(i)} (r_ui − μ − b_u) / (λ_i + |R(i)|),   b_u = Σ_{i∈R(u)} (r_ui − μ − b_i) / (λ_u + |R(u)|).
 * The λ's shrink biases of users/items with few ratings towards zero.
 */
export function fitBaseline(train: TrainSet, opts: BaselineOptions = {}): FactorModel {
  const regU = opts.regU ?? 15;
  const regI = opts.regI ?? 10;
  const epochs = opts.epochs ?? 10;
  const mu = meanRating(train.ratings);
  const m = emptyModel('baseline', train, 0, mu);
  const { users, items, ratings } = train;
  const n = ratings.length;
  const cntU = new Float64Array(train.nUsers);
  const cntI = new Float64Array(train.nItems);
  for (let k = 0; k < n; k++) {
    cntU[users[k]!]! += 1;
    cntI[items[k]!]! += 1;
  }
  const dev = new Float64Array(Math.max(train.nUsers, train.nItems));
  for (let e = 0; e < epochs; e++) {
    dev.fill(0);
    for (let k = 0; k < n; k++) dev[items[k]!]! += ratings[k]! - mu - m.userBias[users[k]!]!;
    for (let i = 0; i < train.nItems; i++) m.itemBias[i] = dev[i]! / (regI + cntI[i]!);
    dev.fill(0);
    for (let k = 0; k < n; k++) dev[users[k]!]! += ratings[k]! - mu - m.itemBias[items[k]!]!;
    for (let u = 0; u < train.nUsers; u++) m.userBias[u] = dev[u]! / (regU + cntU[u]!);
  }
  return m;
}
