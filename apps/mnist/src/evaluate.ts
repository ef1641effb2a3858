import { Variable } from '@tsdl/autograd';
import { accuracy, confusionMatrix, f1, precision, recall } from '@tsdl/metrics';
import type { Sequential } from '@tsdl/nn';
import { exportOnnx, OnnxSession } from '@tsdl/onnx-export';
import { softmax, Tensor } from '@tsdl/tensor';
import { type DigitSet, PIXELS } from './digits.js';
import { argmaxRows, predictProba } from './train.js';

export interface Report {
  accuracy: number;
  perClass: { precision: number; recall: number; f1: number }[];
  confusionMatrix: number[][];
}

export function classificationReport(labels: Int32Array, pred: Int32Array): Report {
  const yTrue = Array.from(labels);
  const yPred = Array.from(pred);
  const labelsList = Array.from({ length: 10 }, (_, i) => i);
  const opts = { average: 'none' as const, labels: labelsList };
  const p = precision(yTrue, yPred, opts) as number[];
  const r = recall(yTrue, yPred, opts) as number[];
  const f = f1(yTrue, yPred, opts) as number[];
  return {
    accuracy: accuracy(yTrue, yPred),
    perClass: labelsList.map((c) => ({ precision: p[c]!, recall: r[c]!, f1: f[c]! })),
    confusionMatrix: confusionMatrix(yTrue, yPred, { labels: labelsList }),
  };
}

export interface OnnxParity {
  /** Share of images whose top-1 class agrees between tsdl and onnxruntime. */
  agreement: number;
  maxProbDiff: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  throughputBatch100: number;
}

/** Exports the model, runs the held-out set through onnxruntime, and compares with tsdl. */
export async function onnxParity(model: Sequential, set: DigitSet, bytes?: Uint8Array): Promise<OnnxParity> {
  const onnx =
    bytes ??
    exportOnnx(model, [new Tensor(new Float32Array(PIXELS), [1, PIXELS])], { outputNames: ['logits'] });
  const session = await OnnxSession.create(onnx, { backend: 'node' });
  const ours = predictProba(model, set);
  const theirs = new Float32Array(set.count * 10);
  for (let s = 0; s < set.count; s += 100) {
    const n = Math.min(100, set.count - s);
    const x = new Tensor(set.images.slice(s * PIXELS, (s + n) * PIXELS), [n, PIXELS]);
    const logits = (await session.run({ input: x })).logits!;
    const probs = softmax(logits, 1).toTypedArray() as Float32Array;
    theirs.set(probs, s * 10);
  }
  const a = argmaxRows(ours);
  const b = argmaxRows(theirs);
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  let maxProbDiff = 0;
  for (let i = 0; i < ours.length; i++) maxProbDiff = Math.max(maxProbDiff, Math.abs(ours[i]! - theirs[i]!));
  // Latency at batch 1 and throughput at batch 100.
  const times: number[] = [];
  const one = new Tensor(set.images.slice(0, PIXELS), [1, PIXELS]);
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await session.run({ input: one });
    times.push(performance.now() - t);
  }
  times.sort((x, y) => x - y);
  const hundred = new Tensor(set.images.slice(0, 100 * PIXELS), [100, PIXELS]);
  const t0 = performance.now();
  const reps = 20;
  for (let i = 0; i < reps; i++) await session.run({ input: hundred });
  const throughput = (reps * 100) / ((performance.now() - t0) / 1000);
  await session.release();
  return {
    agreement: same / a.length,
    maxProbDiff,
    latencyP50Ms: times[Math.floor(times.length * 0.5)]!,
    latencyP99Ms: times[Math.floor(times.length * 0.99)]!,
    throughputBatch100: throughput,
  };
}

/** Forward of a single batch through tsdl (used by predict). */
export function logitsOf(model: Sequential, x: Tensor): Tensor {
  return (model.forward(new Variable(x)) as Variable).data;
}
