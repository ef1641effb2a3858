import { noGrad, Variable } from '@tsdl/autograd';
import { mae, mape, rmse } from '@tsdl/metrics';
import { Tensor } from '@tsdl/tensor';
import { type LinearAR, persistence } from './baselines.js';
import type { Forecaster } from './model.js';
import type { Split } from './split.js';
import { predictLabels } from './train.js';
import { type Affine, featuresOf, makeWindows, toPrice, type Windows } from './windows.js';

/** Errors in the series' own units; mape is a fraction (0.05 = 5%), like scikit-learn. */
export interface Errors {
  mae: number;
  rmse: number;
  mape: number;
}

export function errorsOf(actual: ArrayLike<number>, pred: ArrayLike<number>): Errors {
  const a = Array.from(actual);
  const p = Array.from(pred);
  return { mae: mae(a, p), rmse: rmse(a, p), mape: mape(a, p) };
}

/** One-step-ahead price forecasts for every test step, each from the actual window before it. */
export interface OneStep {
  t: Int32Array;
  actual: Float64Array;
  model: Float64Array;
  persistence: Float64Array;
  linearAr: Float64Array;
}

export function oneStepForecasts(
  values: Float64Array,
  split: Split,
  model: Forecaster,
  affine: Affine,
  ar: LinearAR,
): OneStep {
  const { window, target } = model.config;
  const w: Windows = makeWindows(values, window, target, split.valEnd, split.n);
  const m = predictLabels(model, w, affine);
  const l = ar.predict(w);
  return {
    t: w.t,
    actual: Float64Array.from(w.t, (t) => values[t]!),
    model: Float64Array.from(m, (y, i) => toPrice(y, w.last[i]!, target)),
    persistence: persistence(w),
    linearAr: Float64Array.from(l, (y, i) => toPrice(y, w.last[i]!, target)),
  };
}

/** A function from one raw price window to the next price. */
export type Step = (win: Float64Array) => number;

/** The model as a `Step` (features, scaling, forward, unscaling — what the ONNX wrapper does in-graph). */
export function modelStep(model: Forecaster, affine: Affine): Step {
  const { target } = model.config;
  return (win) => {
    const f = featuresOf(win, target);
    const x = new Tensor(
      Float32Array.from(f, (v) => (v - affine.shift) / affine.scale),
      [1, f.length, 1],
    );
    model.eval();
    const yz = noGrad(() => model.forward(new Variable(x)).data.item());
    return toPrice(yz * affine.scale + affine.shift, win[win.length - 1]!, target);
  };
}

export function arStep(ar: LinearAR, target: Forecaster['config']['target']): Step {
  return (win) => toPrice(ar.predictOne(featuresOf(win, target)), win[win.length - 1]!, target);
}

/**
 * Forecasts `horizon` steps from step `start` on, feeding each prediction back as the newest input:
 * only values[start-window .. start-1] are ever read.
 */
export function rollingForecast(
  values: Float64Array,
  start: number,
  horizon: number,
  window: number,
  step: Step,
): Float64Array {
  if (start < window)
    throw new Error(`rollingForecast: start ${start} leaves fewer than window ${window} past values`);
  const hist = Array.from(values.subarray(start - window, start));
  const out = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) {
    const next = step(Float64Array.from(hist.slice(-window)));
    out[h] = next;
    hist.push(next);
  }
  return out;
}

export interface Rolling {
  horizon: number;
  /** Index of the first forecast step (the first test step). */
  start: number;
  actual: Float64Array;
  model: Float64Array;
  /** Persistence's flat forecast: the last value before the test part, repeated. */
  persistence: Float64Array;
  linearAr: Float64Array;
}

export function rollingFromTestStart(
  values: Float64Array,
  split: Split,
  model: Forecaster,
  affine: Affine,
  ar: LinearAR,
  horizon: number,
): Rolling {
  const { window, target } = model.config;
  const start = split.valEnd;
  const h = Math.min(horizon, split.n - start);
  return {
    horizon: h,
    start,
    actual: values.slice(start, start + h),
    model: rollingForecast(values, start, h, window, modelStep(model, affine)),
    persistence: new Float64Array(h).fill(values[start - 1]!),
    linearAr: rollingForecast(values, start, h, window, arStep(ar, target)),
  };
}
