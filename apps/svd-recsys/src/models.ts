import { fitBaseline } from './baseline.js';
import type { FactorModel, ModelName } from './factor-model.js';
import { type EpochInfo, type MfOptions, trainMf } from './mf.js';
import type { TrainSet } from './ratings.js';
import { fitSvd } from './svd-model.js';

export const MODEL_NAMES: readonly ModelName[] = ['baseline', 'svd', 'mf'];

export interface FitOptions {
  /** Factors (svd, mf). */
  k?: number;
  seed?: number;
  mf?: Omit<MfOptions, 'k' | 'seed'>;
}

export const DEFAULT_K: Record<ModelName, number> = { baseline: 0, svd: 20, mf: 50 };

/** Fits one of the three models; `history` is mf's per-epoch record (empty for the closed-form ones). */
export function fitModel(
  name: ModelName,
  train: TrainSet,
  opts: FitOptions = {},
): { model: FactorModel; history: EpochInfo[] } {
  const k = opts.k ?? DEFAULT_K[name];
  if (name === 'baseline') return { model: fitBaseline(train), history: [] };
  if (name === 'svd') return { model: fitSvd(train, k, { seed: opts.seed ?? 0 }), history: [] };
  const r = trainMf(train, { ...opts.mf, k, seed: opts.seed ?? 0 });
  return { model: r.factors, history: r.history };
}
