export {
  type Average,
  accuracy,
  f1,
  type PrfOptions,
  type PrfValues,
  precision,
  recall,
} from './classification.js';
export { type ConfusionMatrixOptions, confusionMatrix } from './confusion-matrix.js';
export { MetricsError } from './errors.js';
export type { Matrix, Vector } from './input.js';
export {
  type BatchRanking,
  type ItemId,
  ndcgAtK,
  precisionAtK,
  type Ranking,
  type Relevance,
  recallAtK,
} from './ranking.js';
export { mae, mape, mse, type R2Options, type RegressionOptions, r2, rmse } from './regression.js';
export { type RocAucOptions, rocAuc } from './roc-auc.js';
export {
  ClassificationMetrics,
  type ClassificationMetricsOptions,
  type ClassificationReport,
} from './streaming.js';
