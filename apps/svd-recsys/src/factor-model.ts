import { Tensor } from '@tsdl/tensor';
import type { TrainSet } from './ratings.js';

export const MIN_RATING = 0.5;
export const MAX_RATING = 5;

export type ModelName = 'baseline' | 'svd' | 'mf';

/**
 * What every model here reduces to: r̂(u, i) = μ + b_u + b_i + p_u · q_i, clipped to the rating scale.
 * baseline has k = 0; svd has b_u = (user mean − μ), b_i = 0, P = U√Σ, Q = V√Σ; mf learns all of it.
 * Index −1 means cold start (not in the training data): its bias and factors count as zero, so a new
 * user gets μ + b_i and a new item μ + b_u.
 */
export interface FactorModel {
  name: ModelName;
  k: number;
  mu: number;
  userBias: Float64Array;
  itemBias: Float64Array;
  /** nUsers × k, row-major. */
  P: Float64Array;
  /** nItems × k, row-major. */
  Q: Float64Array;
  userIds: Int32Array;
  itemIds: Int32Array;
}

/** The unclipped score μ + b_u + b_i + p_u · q_i (used for ranking, where clipping would create ties). */
export function score(m: FactorModel, u: number, i: number): number {
  let s = m.mu;
  if (u >= 0) s += m.userBias[u]!;
  if (i >= 0) s += m.itemBias[i]!;
  if (u >= 0 && i >= 0) {
    const k = m.k;
    for (let c = 0; c < k; c++) s += m.P[u * k + c]! * m.Q[i * k + c]!;
  }
  return s;
}

/** The predicted rating: the score clipped to [0.5, 5]. */
export function predict(m: FactorModel, u: number, i: number): number {
  return Math.min(MAX_RATING, Math.max(MIN_RATING, score(m, u, i)));
}

/** Scores of every item for user u into `out` (length nItems). */
export function scoreAll(m: FactorModel, u: number, out: Float64Array): Float64Array {
  for (let i = 0; i < m.itemIds.length; i++) out[i] = score(m, u, i);
  return out;
}

export function emptyModel(name: ModelName, train: TrainSet, k: number, mu: number): FactorModel {
  return {
    name,
    k,
    mu,
    userBias: new Float64Array(train.nUsers),
    itemBias: new Float64Array(train.nItems),
    P: new Float64Array(train.nUsers * k),
    Q: new Float64Array(train.nItems * k),
    userIds: train.userIds,
    itemIds: train.itemIds,
  };
}

export function meanRating(r: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < r.length; k++) s += r[k]!;
  return r.length > 0 ? s / r.length : 0;
}

/** The model as named tensors for safetensors (float32 factors, int32 id maps, μ as a 1-element tensor). */
export function toRecord(m: FactorModel): Record<string, Tensor> {
  const nu = m.userIds.length;
  const ni = m.itemIds.length;
  return {
    mu: new Tensor(Float32Array.of(m.mu), [1]),
    user_bias: new Tensor(Float32Array.from(m.userBias), [nu]),
    item_bias: new Tensor(Float32Array.from(m.itemBias), [ni]),
    user_factors: new Tensor(Float32Array.from(m.P), [nu, m.k]),
    item_factors: new Tensor(Float32Array.from(m.Q), [ni, m.k]),
    user_ids: new Tensor(Int32Array.from(m.userIds), [nu]),
    item_ids: new Tensor(Int32Array.from(m.itemIds), [ni]),
  };
}

export function fromRecord(name: ModelName, rec: Record<string, Tensor>): FactorModel {
  const get = (key: string) => {
    const t = rec[key];
    if (!t)
      throw new Error(
        `factor model: the weights file has no tensor '${key}' (found ${Object.keys(rec).join(', ')})`,
      );
    return t.toTypedArray();
  };
  const uf = rec.user_factors;
  return {
    name,
    k: uf?.shape[1] ?? 0,
    mu: get('mu')[0]!,
    userBias: Float64Array.from(get('user_bias')),
    itemBias: Float64Array.from(get('item_bias')),
    P: Float64Array.from(get('user_factors')),
    Q: Float64Array.from(get('item_factors')),
    userIds: Int32Array.from(get('user_ids')),
    itemIds: Int32Array.from(get('item_ids')),
  };
}
