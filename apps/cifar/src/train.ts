import type { StepProgress } from '@tsdl/app-kit';
import { noGrad, Variable } from '@tsdl/autograd';
import { DataLoader, TensorDataset } from '@tsdl/data';
import { AdamW, CosineAnnealingLR, CrossEntropyLoss, type Sequential, SGD } from '@tsdl/nn';
import { Generator, softmax, Tensor } from '@tsdl/tensor';
import { randomCropFlip } from './augment.js';
import { type CifarSet, PIXELS } from './dataset.js';
import { createModel, type ModelName, type RecipeConfig } from './model.js';
import { blackLevel, type ChannelStats, channelStats, normalize } from './normalize.js';

/** What the training loop reports after each step (the kit's progress reporters take it). */
export type StepInfo = StepProgress;

export interface EpochInfo {
  epoch: number;
  trainLoss: number;
  /** Accuracy on the held-out set after this epoch (NaN without one). */
  testAccuracy: number;
  /** Training time of the epoch (without the held-out evaluation). */
  seconds: number;
  samplesPerSec: number;
  lr: number;
}

export interface TrainResult {
  model: Sequential;
  optimizer: SGD | AdamW;
  scheduler: CosineAnnealingLR | null;
  /** Shuffling and augmentation streams as they ended, for the checkpoint. */
  generators: { shuffle: Generator; augment: Generator };
  stats: ChannelStats;
  history: EpochInfo[];
  trainSeconds: number;
  secondsPerEpoch: number;
  samplesPerSec: number;
}

export interface TrainOptions {
  model: ModelName;
  recipe: RecipeConfig;
  seed: number;
  /** Evaluated after each epoch for the curves only (never used to pick a model). */
  test?: CifarSet;
  /** Input scaling; computed on `train` when not given. */
  stats?: ChannelStats;
  onStep?: (s: StepInfo) => void;
  /** Called after each epoch with the state so far (the CLI checkpoints here). */
  onEpoch?: (e: EpochInfo, state: TrainResult) => void | Promise<void>;
  /** Stop after this many steps in total (for short test runs). */
  maxSteps?: number;
}

function makeOptimizer(model: Sequential, r: RecipeConfig): SGD | AdamW {
  const params = model.parameters();
  if (r.optimizer === 'adamw') return new AdamW(params, { lr: r.lr, weightDecay: r.weightDecay });
  return new SGD(params, {
    lr: r.lr,
    momentum: r.momentum,
    weightDecay: r.weightDecay,
    nesterov: r.optimizer === 'sgd-nesterov',
  });
}

/** Trains a CIFAR-10 model on `train` with the recipe; deterministic for a given seed. */
export async function trainCnn(train: CifarSet, opts: TrainOptions): Promise<TrainResult> {
  const { recipe: r, seed } = opts;
  const model = createModel(opts.model, seed);
  const optimizer = makeOptimizer(model, r);
  const scheduler = r.cosine ? new CosineAnnealingLR(optimizer, { tMax: r.epochs }) : null;
  const lossFn = new CrossEntropyLoss();
  const stats = opts.stats ?? channelStats(train);
  const fill = blackLevel(stats);
  const x = new Tensor(normalize(train, stats), [train.count, 3, 32, 32]);
  const y = new Tensor(Int32Array.from(train.labels), [train.count]);
  const shuffle = new Generator(seed + 1);
  const augment = new Generator(seed + 2);
  const augmenting = r.cropPadding > 0 || r.flip;
  // Drop a last partial batch, like drop_last=True: BatchNorm needs more than one sample per batch.
  const loader = new DataLoader(new TensorDataset(x, y), {
    batchSize: r.batchSize,
    shuffle: true,
    dropLast: true,
    generator: shuffle,
  });
  const steps = loader.length;
  if (steps === 0)
    throw new Error(`train: ${train.count} training images are fewer than one batch of ${r.batchSize}`);
  const history: EpochInfo[] = [];
  const state = (): TrainResult => {
    const trainSeconds = history.reduce((s, e) => s + e.seconds, 0);
    const samples = history.length * steps * r.batchSize;
    return {
      model,
      optimizer,
      scheduler,
      generators: { shuffle, augment },
      stats,
      history,
      trainSeconds,
      secondsPerEpoch: history.length > 0 ? trainSeconds / history.length : Number.NaN,
      samplesPerSec: trainSeconds > 0 ? samples / trainSeconds : 0,
    };
  };
  let total = 0;
  for (let epoch = 1; epoch <= r.epochs; epoch++) {
    model.train();
    const lr = optimizer.paramGroups[0]!.lr;
    const e0 = performance.now();
    let lossSum = 0;
    let done = 0;
    for (const [xb, yb] of loader) {
      let input = xb!;
      if (augmenting) {
        const out = new Float32Array(input.size);
        randomCropFlip(input.data as Float32Array, out, input.shape[0]!, {
          pad: r.cropPadding,
          flip: r.flip,
          fill,
          generator: augment,
        });
        input = new Tensor(out, input.shape);
      }
      const logits = model.forward(new Variable(input)) as Variable;
      const loss = lossFn.forward(logits, yb!);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      const l = loss.item();
      done++;
      total++;
      if (!Number.isFinite(l)) {
        const last = history.length > 0 ? `the checkpoint of epoch ${history.length}` : 'none (first epoch)';
        throw new Error(
          `train: loss became ${l} at epoch ${epoch}, step ${done}; last good checkpoint: ${last}`,
        );
      }
      lossSum += l;
      opts.onStep?.({
        epoch,
        epochs: r.epochs,
        step: done,
        stepsPerEpoch: steps,
        loss: l,
        samplesPerSec: (done * r.batchSize) / ((performance.now() - e0) / 1000),
      });
      if (opts.maxSteps !== undefined && total >= opts.maxSteps) break;
    }
    const seconds = (performance.now() - e0) / 1000;
    scheduler?.step();
    const info: EpochInfo = {
      epoch,
      trainLoss: lossSum / done,
      testAccuracy: opts.test ? accuracyOf(model, opts.test, stats) : Number.NaN,
      seconds,
      samplesPerSec: (done * r.batchSize) / seconds,
      lr,
    };
    history.push(info);
    await opts.onEpoch?.(info, state());
    if (opts.maxSteps !== undefined && total >= opts.maxSteps) break;
  }
  model.eval();
  return state();
}

/** Class probabilities [count, 10] of normalised images, in eval mode and in batches. */
export function predictProbaNormalized(
  model: Sequential,
  x: Float32Array,
  count: number,
  batch = 500,
): Float32Array {
  const wasTraining = model.training;
  model.eval();
  const out = new Float32Array(count * 10);
  noGrad(() => {
    for (let s = 0; s < count; s += batch) {
      const n = Math.min(batch, count - s);
      const xb = new Tensor(x.slice(s * PIXELS, (s + n) * PIXELS), [n, 3, 32, 32]);
      const logits = (model.forward(new Variable(xb)) as Variable).data;
      out.set(softmax(logits, 1).toTypedArray() as Float32Array, s * 10);
    }
  });
  model.train(wasTraining);
  return out;
}

export function predictProba(model: Sequential, set: CifarSet, stats: ChannelStats): Float32Array {
  return predictProbaNormalized(model, normalize(set, stats), set.count);
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

export function accuracyOf(model: Sequential, set: CifarSet, stats: ChannelStats): number {
  const pred = argmaxRows(predictProba(model, set, stats));
  let ok = 0;
  for (let i = 0; i < set.count; i++) if (pred[i] === set.labels[i]) ok++;
  return ok / set.count;
}
