import type { StepProgress } from '@tsdl/app-kit';
import { noGrad, Variable } from '@tsdl/autograd';
import { Adam, AdamW, CosineAnnealingLR, CrossEntropyLoss, type Sequential } from '@tsdl/nn';
import { Generator, randperm, softmax, Tensor } from '@tsdl/tensor';
import { randomShift } from './augment.js';
import { type DigitSet, PIXELS } from './digits.js';
import { createMlp, type RecipeConfig } from './model.js';

/** What the training loop reports after each step (the kit's progress reporters take it). */
export type StepInfo = StepProgress;

export interface EpochInfo {
  epoch: number;
  trainLoss: number;
  testAccuracy: number;
  seconds: number;
}

export interface TrainResult {
  model: Sequential;
  /** Optimizer, scheduler and shuffling generator as they ended, for the checkpoint. */
  optimizer: Adam | AdamW;
  scheduler: CosineAnnealingLR | null;
  generator: Generator;
  history: EpochInfo[];
  trainSeconds: number;
  samplesPerSec: number;
}

export interface TrainOptions {
  recipe: RecipeConfig;
  seed: number;
  /** Evaluated after each epoch for the curves only (never used to pick a model). */
  test?: DigitSet;
  onStep?: (s: StepInfo) => void;
  onEpoch?: (e: EpochInfo) => void;
  /** Stop after this many steps in total (for short test runs). */
  maxSteps?: number;
}

/** Trains the MLP on `train` with the recipe; deterministic for a given seed. */
export function trainMlp(train: DigitSet, opts: TrainOptions): TrainResult {
  const { recipe, seed } = opts;
  const model = createMlp({ dropout: recipe.dropout, seed });
  const params = model.parameters();
  const optimizer =
    recipe.weightDecay > 0
      ? new AdamW(params, { lr: recipe.lr, weightDecay: recipe.weightDecay })
      : new Adam(params, { lr: recipe.lr });
  const scheduler = recipe.cosine ? new CosineAnnealingLR(optimizer, { tMax: recipe.epochs }) : null;
  const lossFn = new CrossEntropyLoss();
  const g = new Generator(seed + 1);
  const bs = recipe.batchSize;
  const steps = Math.floor(train.count / bs); // drop the last partial batch, like drop_last
  const xb = new Float32Array(bs * PIXELS);
  const shifted = new Float32Array(bs * PIXELS);
  const yb = new Int32Array(bs);
  const history: EpochInfo[] = [];
  const t0 = performance.now();
  let seen = 0;
  let total = 0;
  for (let epoch = 1; epoch <= recipe.epochs; epoch++) {
    model.train();
    const e0 = performance.now();
    const perm = randperm(train.count, { generator: g }).data;
    let lossSum = 0;
    for (let step = 0; step < steps; step++) {
      for (let k = 0; k < bs; k++) {
        const i = perm[step * bs + k]!;
        xb.set(train.images.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
        yb[k] = train.labels[i]!;
      }
      if (recipe.shift > 0) randomShift(xb, shifted, bs, recipe.shift, g);
      const x = new Tensor(Float32Array.from(recipe.shift > 0 ? shifted : xb), [bs, PIXELS]);
      const y = new Tensor(Int32Array.from(yb), [bs]);
      const logits = model.forward(new Variable(x)) as Variable;
      const loss = lossFn.forward(logits, y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      const l = loss.item();
      if (!Number.isFinite(l)) throw new Error(`train: loss became ${l} at epoch ${epoch}, step ${step + 1}`);
      lossSum += l;
      seen += bs;
      total++;
      opts.onStep?.({
        epoch,
        epochs: recipe.epochs,
        step: step + 1,
        stepsPerEpoch: steps,
        loss: l,
        samplesPerSec: seen / ((performance.now() - t0) / 1000),
      });
      if (opts.maxSteps !== undefined && total >= opts.maxSteps) break;
    }
    scheduler?.step();
    const info: EpochInfo = {
      epoch,
      trainLoss: lossSum / steps,
      testAccuracy: opts.test ? accuracyOf(model, opts.test) : Number.NaN,
      seconds: (performance.now() - e0) / 1000,
    };
    history.push(info);
    opts.onEpoch?.(info);
    if (opts.maxSteps !== undefined && total >= opts.maxSteps) break;
  }
  const trainSeconds = (performance.now() - t0) / 1000;
  model.eval();
  return {
    model,
    optimizer,
    scheduler,
    generator: g,
    history,
    trainSeconds,
    samplesPerSec: seen / trainSeconds,
  };
}

/** Class probabilities [n, 10] in eval mode, in batches. */
export function predictProba(model: Sequential, set: DigitSet, batch = 500): Float32Array {
  const wasTraining = model.training;
  model.eval();
  const out = new Float32Array(set.count * 10);
  noGrad(() => {
    for (let s = 0; s < set.count; s += batch) {
      const n = Math.min(batch, set.count - s);
      const x = new Tensor(set.images.slice(s * PIXELS, (s + n) * PIXELS), [n, PIXELS]);
      const logits = (model.forward(new Variable(x)) as Variable).data;
      out.set(softmax(logits, 1).toTypedArray() as Float32Array, s * 10);
    }
  });
  model.train(wasTraining);
  return out;
}

export function argmaxRows(p: Float32Array, classes = 10): Int32Array {
  const n = p.length / classes;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (p[i * classes + c]! > p[i * classes + best]!) best = c;
    out[i] = best;
  }
  return out;
}

export function accuracyOf(model: Sequential, set: DigitSet): number {
  const pred = argmaxRows(predictProba(model, set));
  let ok = 0;
  for (let i = 0; i < set.count; i++) if (pred[i] === set.labels[i]) ok++;
  return ok / set.count;
}
