import { accuracy, confusionMatrix, f1, precision, recall } from '@tsdl/metrics';
import type { Sequential } from '@tsdl/nn';
import { exportOnnx, OnnxSession } from '@tsdl/onnx-export';
import { softmax, Tensor } from '@tsdl/tensor';
import { type CifarSet, CLASSES, PIXELS } from './dataset.js';
import { type ChannelStats, normalize } from './normalize.js';
import { argmaxRows, predictProbaNormalized } from './train.js';

export interface ClassReport {
  class: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Report {
  /** Fraction of images classified correctly. */
  accuracy: number;
  macroF1: number;
  perClass: ClassReport[];
  /** Rows: true class, columns: predicted class (CLASSES order). */
  confusionMatrix: number[][];
}

export function classificationReport(labels: Int32Array, pred: Int32Array): Report {
  const yTrue = Array.from(labels);
  const yPred = Array.from(pred);
  const ids = CLASSES.map((_, i) => i);
  const opts = { average: 'none' as const, labels: ids };
  const p = precision(yTrue, yPred, opts) as number[];
  const r = recall(yTrue, yPred, opts) as number[];
  const f = f1(yTrue, yPred, opts) as number[];
  const cm = confusionMatrix(yTrue, yPred, { labels: ids }) as number[][];
  return {
    accuracy: accuracy(yTrue, yPred),
    macroF1: f1(yTrue, yPred, { average: 'macro', labels: ids }) as number,
    perClass: CLASSES.map((name, c) => ({
      class: name,
      precision: p[c]!,
      recall: r[c]!,
      f1: f[c]!,
      support: cm[c]!.reduce((a, b) => a + b, 0),
    })),
    confusionMatrix: cm,
  };
}

export const EXAMPLE_INPUT = () => new Tensor(new Float32Array(PIXELS), [1, 3, 32, 32]);

/** The ONNX export of a CIFAR-10 model: input `input` float32 [batch, 3, 32, 32] normalised, output `logits`. */
export function exportCifarOnnx(model: Sequential, stats: ChannelStats, name: string): Uint8Array {
  return exportOnnx(model, [EXAMPLE_INPUT()], {
    outputNames: ['logits'],
    docString: `CIFAR-10 ${name} CNN: input = RGB 32×32, NCHW, each channel (x/255 − mean)/std with the mean and std in the metadata; output = logits of ${CLASSES.join(', ')}`,
    metadata: {
      mean: JSON.stringify(stats.mean),
      std: JSON.stringify(stats.std),
      classes: JSON.stringify(CLASSES),
    },
  });
}

export interface OnnxParity {
  images: number;
  /** Share of images whose top-1 class agrees between tsdl and onnxruntime-node. */
  agreement: number;
  maxProbDiff: number;
  latencyP50Ms: number;
  throughputBatch100: number;
}

/** Runs `set` through the ONNX model in onnxruntime-node and through tsdl, and compares. */
export async function onnxParity(
  model: Sequential,
  set: CifarSet,
  stats: ChannelStats,
  bytes: Uint8Array,
): Promise<OnnxParity> {
  const session = await OnnxSession.create(bytes, { backend: 'node' });
  try {
    const x = normalize(set, stats);
    const ours = predictProbaNormalized(model, x, set.count);
    const theirs = new Float32Array(set.count * 10);
    for (let s = 0; s < set.count; s += 100) {
      const n = Math.min(100, set.count - s);
      const xb = new Tensor(x.slice(s * PIXELS, (s + n) * PIXELS), [n, 3, 32, 32]);
      const logits = (await session.run({ input: xb })).logits!;
      theirs.set(softmax(logits, 1).toTypedArray() as Float32Array, s * 10);
    }
    const a = argmaxRows(ours);
    const b = argmaxRows(theirs);
    let same = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
    let maxProbDiff = 0;
    for (let i = 0; i < ours.length; i++)
      maxProbDiff = Math.max(maxProbDiff, Math.abs(ours[i]! - theirs[i]!));
    const times: number[] = [];
    const one = new Tensor(x.slice(0, PIXELS), [1, 3, 32, 32]);
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      await session.run({ input: one });
      times.push(performance.now() - t);
    }
    times.sort((p, q) => p - q);
    const n = Math.min(100, set.count);
    const hundred = new Tensor(x.slice(0, n * PIXELS), [n, 3, 32, 32]);
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await session.run({ input: hundred });
    return {
      images: set.count,
      agreement: same / a.length,
      maxProbDiff,
      latencyP50Ms: times[Math.floor(times.length / 2)]!,
      throughputBatch100: (5 * n) / ((performance.now() - t0) / 1000),
    };
  } finally {
    await session.release();
  }
}
