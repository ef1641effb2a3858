import { LinearAR } from './baselines.js';
import {
  type Errors,
  errorsOf,
  type OneStep,
  oneStepForecasts,
  type Rolling,
  rollingFromTestStart,
} from './evaluate.js';
import type { Forecaster, ModelConfig } from './model.js';
import type { Series } from './series.js';
import { chronologicalSplit, type Split, type SplitOptions } from './split.js';
import { type TrainOptions, type TrainResult, trainForecaster } from './train.js';
import { type Affine, makeWindows } from './windows.js';

export interface Report {
  test: {
    model: Errors;
    persistence: Errors;
    linearAr: Errors;
    windows: number;
    from: string;
    to: string;
    modelMaeOverPersistence: number;
  };
  rolling: { horizon: number; from: string; model: Errors; persistence: Errors; linearAr: Errors };
}

export interface Evaluation {
  oneStep: OneStep;
  rolling: Rolling;
  linearAr: LinearAR;
  report: Report;
}

/** Test-part errors of the model and both baselines, one step ahead and rolling from the test start. */
export function evaluateAll(
  series: Series,
  split: Split,
  model: Forecaster,
  affine: Affine,
  horizon: number,
): Evaluation {
  const { window, target } = model.config;
  const linearAr = LinearAR.fit(makeWindows(series.values, window, target, 0, split.trainEnd));
  const oneStep = oneStepForecasts(series.values, split, model, affine, linearAr);
  const rolling = rollingFromTestStart(series.values, split, model, affine, linearAr, horizon);
  const m = errorsOf(oneStep.actual, oneStep.model);
  const p = errorsOf(oneStep.actual, oneStep.persistence);
  const report: Report = {
    test: {
      model: m,
      persistence: p,
      linearAr: errorsOf(oneStep.actual, oneStep.linearAr),
      windows: oneStep.t.length,
      from: series.dates[split.valEnd]!,
      to: series.dates[split.n - 1]!,
      modelMaeOverPersistence: m.mae / p.mae,
    },
    rolling: {
      horizon: rolling.horizon,
      from: series.dates[rolling.start]!,
      model: errorsOf(rolling.actual, rolling.model),
      persistence: errorsOf(rolling.actual, rolling.persistence),
      linearAr: errorsOf(rolling.actual, rolling.linearAr),
    },
  };
  return { oneStep, rolling, linearAr, report };
}

export interface ExperimentOptions {
  model: ModelConfig;
  train: TrainOptions;
  split?: SplitOptions;
  horizon: number;
}

export interface Experiment extends Evaluation {
  split: Split;
  trained: TrainResult;
}

/** Split chronologically, train with early stopping, evaluate on the test part. */
export function runExperiment(series: Series, opts: ExperimentOptions): Experiment {
  const split = chronologicalSplit(series.values.length, opts.split);
  const trained = trainForecaster(series.values, split, opts.model, opts.train);
  return { split, trained, ...evaluateAll(series, split, trained.model, trained.affine, opts.horizon) };
}

/**
 * The defaults of `train`: a small LSTM on log returns (nearly stationary, unlike prices) with early
 * stopping — little capacity to overfit ~400 monthly training windows.
 */
export const DEFAULT_MODEL: ModelConfig = {
  cell: 'lstm',
  window: 5,
  hidden: 8,
  layers: 1,
  dropout: 0,
  target: 'return',
};
export const DEFAULT_TRAIN: TrainOptions = { epochs: 200, batchSize: 32, lr: 3e-3, patience: 20, seed: 0 };
export const DEFAULT_HORIZON = 12;
