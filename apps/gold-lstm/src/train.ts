import { noGrad, Variable } from '@tsdl/autograd';
import { Adam, clipGradNorm, MSELoss, type StateDict } from '@tsdl/nn';
import { Generator, randperm, Tensor } from '@tsdl/tensor';
import { Forecaster, type ModelConfig } from './model.js';
import type { Split } from './split.js';
import { type Affine, fitScaler, makeWindows, type ScalerJSON, type Windows } from './windows.js';

export interface TrainOptions {
  /** Most epochs; training usually stops earlier on the validation loss. */
  epochs: number;
  batchSize: number;
  lr: number;
  /** Stop after this many epochs without a new best validation loss. */
  patience: number;
  seed: number;
  onEpoch?: (e: EpochInfo) => void;
}

export interface EpochInfo {
  epoch: number;
  epochs: number;
  /** Mean MSE on scaled labels. */
  trainLoss: number;
  valLoss: number;
  best: boolean;
  seconds: number;
}

export interface TrainResult {
  /** The weights of the epoch with the lowest validation loss, in eval mode. */
  model: Forecaster;
  affine: Affine;
  scaler: ScalerJSON;
  history: EpochInfo[];
  bestEpoch: number;
  trainSeconds: number;
  trainWindows: Windows;
  valWindows: Windows;
}

/** Features and labels of windows, scaled: x [count, steps, 1] and y [count, 1] (float32). */
export function scaledTensors(w: Windows, a: Affine, rows?: ArrayLike<number>): { x: Tensor; y: Tensor } {
  const idx = rows ?? Array.from({ length: w.count }, (_, i) => i);
  const n = idx.length;
  const x = new Float32Array(n * w.steps);
  const y = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const i = idx[k]!;
    for (let j = 0; j < w.steps; j++) x[k * w.steps + j] = (w.x[i * w.steps + j]! - a.shift) / a.scale;
    y[k] = (w.y[i]! - a.shift) / a.scale;
  }
  return { x: new Tensor(x, [n, w.steps, 1]), y: new Tensor(y, [n, 1]) };
}

/** Unscaled labels the model predicts for every window (eval mode, no grad, in batches). */
export function predictLabels(model: Forecaster, w: Windows, a: Affine, batch = 512): Float64Array {
  const out = new Float64Array(w.count);
  const was = model.training;
  model.eval();
  noGrad(() => {
    for (let s = 0; s < w.count; s += batch) {
      const rows = Array.from({ length: Math.min(batch, w.count - s) }, (_, k) => s + k);
      const yz = model.forward(new Variable(scaledTensors(w, a, rows).x)).data.toTypedArray();
      for (let k = 0; k < rows.length; k++) out[s + k] = yz[k]! * a.scale + a.shift;
    }
  });
  model.train(was);
  return out;
}

function mseOf(model: Forecaster, w: Windows, a: Affine): number {
  const p = predictLabels(model, w, a);
  let s = 0;
  for (let i = 0; i < w.count; i++) s += ((p[i]! - w.y[i]!) / a.scale) ** 2;
  return s / w.count;
}

const cloneState = (sd: StateDict): StateDict =>
  Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, t.contiguous().clone()]));

/**
 * Trains on the windows whose target lies in the training part, with the scaler fitted on the
 * training part only; stops early on the validation part and keeps the best epoch's weights.
 * Deterministic for a seed: initialisation, dropout masks and the (within-train) shuffling are seeded.
 */
export function trainForecaster(
  values: Float64Array,
  split: Split,
  config: ModelConfig,
  opts: TrainOptions,
): TrainResult {
  const { affine, json } = fitScaler(values, split, config.target);
  const trainW = makeWindows(values, config.window, config.target, 0, split.trainEnd);
  const valW = makeWindows(values, config.window, config.target, split.trainEnd, split.valEnd);
  if (trainW.count < 2 || valW.count < 1)
    throw new Error(
      `train: too few windows (train ${trainW.count}, validation ${valW.count}) for window ${config.window}`,
    );
  const model = new Forecaster(config, { seed: opts.seed });
  const optimizer = new Adam(model.parameters(), { lr: opts.lr });
  const lossFn = new MSELoss();
  const shuffle = new Generator(opts.seed + 1);
  const bs = Math.min(opts.batchSize, trainW.count);
  const history: EpochInfo[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let bestState = cloneState(model.stateDict());
  const t0 = performance.now();
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const e0 = performance.now();
    model.train();
    const perm = randperm(trainW.count, { generator: shuffle }).toTypedArray();
    let sum = 0;
    let steps = 0;
    for (let s = 0; s < trainW.count; s += bs) {
      const { x, y } = scaledTensors(trainW, affine, perm.subarray(s, Math.min(s + bs, trainW.count)));
      const loss = lossFn.forward(model.forward(new Variable(x)), y);
      optimizer.zeroGrad();
      loss.backward();
      clipGradNorm(model.parameters(), 1);
      optimizer.step();
      const l = loss.item();
      if (!Number.isFinite(l))
        throw new Error(
          `train: loss became ${l} at epoch ${epoch}, step ${steps + 1}; the best weights so far are from epoch ${bestEpoch}`,
        );
      sum += l * (y.shape[0] ?? 0);
      steps++;
    }
    const valLoss = mseOf(model, valW, affine);
    const improved = valLoss < best;
    if (improved) {
      best = valLoss;
      bestEpoch = epoch;
      bestState = cloneState(model.stateDict());
    }
    const info: EpochInfo = {
      epoch,
      epochs: opts.epochs,
      trainLoss: sum / trainW.count,
      valLoss,
      best: improved,
      seconds: (performance.now() - e0) / 1000,
    };
    history.push(info);
    opts.onEpoch?.(info);
    if (epoch - bestEpoch >= opts.patience) break;
  }
  model.loadStateDict(bestState);
  model.eval();
  return {
    model,
    affine,
    scaler: json,
    history,
    bestEpoch,
    trainSeconds: (performance.now() - t0) / 1000,
    trainWindows: trainW,
    valWindows: valW,
  };
}
