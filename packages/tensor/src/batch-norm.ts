// Fused batch-normalisation kernels over channel axis 1 of [N, C, ...]: statistics in float64
// accumulators, then one pass each for y and dx. Written as flat loops over the [N, C, S] layout
// (S = product of the trailing dims) because composing elementwise tensor ops made BatchNorm dominate
// CNN training time.
import { allocArray, type DType, type TypedArray } from './dtype.js';
import { fail, fmtShape } from './errors.js';
import { type FloatArray, kernels } from './kernels.js';
import { Tensor } from './tensor.js';

export interface BatchNormForwardOptions {
  /** Normalise with the batch mean and biased variance (true) or with runningMean/runningVar (false). */
  training: boolean;
  /** Read only when training is false; never updated here. */
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  eps?: number;
}

export interface BatchNormForwardResult {
  y: Tensor;
  /** Per-channel mean used, [C] float64. */
  mean: Tensor;
  /** Per-channel 1/sqrt(var + eps) used, [C] float64. */
  invStd: Tensor;
}

export interface BatchNormBackwardResult {
  dx: Tensor;
  dweight: Tensor;
  dbias: Tensor;
}

interface Layout {
  n: number;
  c: number;
  s: number;
}

function layoutOf(op: string, x: Tensor): Layout {
  if (x.ndim < 2) fail(op, `x must be at least 2-d [N, C, ...], received shape ${fmtShape(x.shape)}`);
  const n = x.shape[0]!;
  const c = x.shape[1]!;
  return { n, c, s: n * c === 0 ? 0 : x.size / (n * c) };
}

function floatDType(d: DType): DType {
  return d === 'float64' ? 'float64' : 'float32';
}

/** Row-major elements of a per-channel tensor of shape [C] (or null), checked by name. */
function channelValues(
  op: string,
  name: string,
  t: Tensor | null | undefined,
  c: number,
): ArrayLike<number> | null {
  if (t == null) return null;
  if (t.ndim !== 1 || t.shape[0] !== c)
    fail(op, `${name} must have shape [${c}], received ${fmtShape(t.shape)}`);
  return t.contiguous().data.subarray(0, c);
}

/** Per-channel mean and biased variance over [N, C, S], accumulated in float64 (kernels.batchNormMoments). */
function channelMoments(
  op: string,
  xd: TypedArray,
  n: number,
  c: number,
  s: number,
  shape: readonly number[],
): { mean: Float64Array; biasedVar: Float64Array; count: number } {
  const m = n * s;
  if (m === 0) fail(op, `needs at least one value per channel, received shape ${fmtShape(shape)}`);
  const mean = new Float64Array(c);
  const biasedVar = new Float64Array(c);
  kernels.batchNormMoments(xd as FloatArray, n, c, s, mean, biasedVar);
  return { mean, biasedVar, count: m };
}

/**
 * Per-channel batch statistics of [N, C, ...]: mean and biased variance ([C], float64) and how many
 * values each channel has (for the unbiased variance a running estimate uses: var · count / (count − 1)).
 */
export function batchNormStats(x: Tensor): { mean: Tensor; var: Tensor; count: number } {
  const { n, c, s } = layoutOf('batchNormStats', x);
  const m = channelMoments('batchNormStats', x.contiguous().data, n, c, s, x.shape);
  return { mean: new Tensor(m.mean, [c]), var: new Tensor(m.biasedVar, [c]), count: m.count };
}

/**
 * y = (x - mean) * invStd * weight + bias per channel, with the batch's mean and biased variance
 * (training) or the running statistics (eval). weight/bias null mean ones/zeros.
 */
export function batchNormForward(
  x: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  opts: BatchNormForwardOptions,
): BatchNormForwardResult {
  const op = 'batchNormForward';
  const { n, c, s } = layoutOf(op, x);
  const eps = opts.eps ?? 1e-5;
  const w = channelValues(op, 'weight', weight, c);
  const b = channelValues(op, 'bias', bias, c);
  const xd = x.contiguous().data;
  const mean = new Float64Array(c);
  const invStd = new Float64Array(c);
  if (opts.training) {
    const moments = channelMoments(op, xd, n, c, s, x.shape);
    for (let ch = 0; ch < c; ch++) {
      mean[ch] = moments.mean[ch]!;
      invStd[ch] = 1 / Math.sqrt(moments.biasedVar[ch]! + eps);
    }
  } else {
    const rm = channelValues(op, 'runningMean', opts.runningMean, c);
    const rv = channelValues(op, 'runningVar', opts.runningVar, c);
    if (rm === null || rv === null)
      fail(op, 'runningMean and runningVar are required when training is false');
    for (let ch = 0; ch < c; ch++) {
      mean[ch] = rm[ch]!;
      invStd[ch] = 1 / Math.sqrt(rv[ch]! + eps);
    }
  }
  const out = allocArray(floatDType(x.dtype), x.size) as FloatArray;
  const scale = new Float64Array(c);
  const shift = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    scale[ch] = invStd[ch]! * (w === null ? 1 : w[ch]!);
    shift[ch] = (b === null ? 0 : b[ch]!) - mean[ch]! * scale[ch]!;
  }
  kernels.batchNormApply(xd as FloatArray, n, c, s, scale, shift, out);
  return { y: new Tensor(out, x.shape), mean: new Tensor(mean, [c]), invStd: new Tensor(invStd, [c]) };
}

/**
 * Gradients of batchNormForward given the mean and invStd it used. training (default true) includes the
 * batch statistics' dependence on x: dx = w·invStd/M · (M·dy − Σdy − x̂·Σ(dy·x̂)) per channel (M values
 * per channel); in eval dx = dy·w·invStd. dweight = Σ(dy·x̂), dbias = Σdy, in weight's (else x's) dtype.
 */
export function batchNormBackward(
  dy: Tensor,
  x: Tensor,
  mean: Tensor,
  invStd: Tensor,
  weight: Tensor | null,
  training = true,
): BatchNormBackwardResult {
  const op = 'batchNormBackward';
  const { n, c, s } = layoutOf(op, x);
  if (dy.ndim !== x.ndim || dy.shape.some((d, i) => d !== x.shape[i])) {
    fail(op, `dy must have the shape of x ${fmtShape(x.shape)}, received ${fmtShape(dy.shape)}`);
  }
  const mu = channelValues(op, 'mean', mean, c)!;
  const is = channelValues(op, 'invStd', invStd, c)!;
  const w = channelValues(op, 'weight', weight, c);
  const xd = x.contiguous().data;
  const gd = dy.contiguous().data;
  const pdtype = floatDType(weight?.dtype ?? x.dtype);
  const dw = allocArray(pdtype, c);
  const db = allocArray(pdtype, c);
  const dx = allocArray(floatDType(x.dtype), x.size) as FloatArray;
  const sums = new Float64Array(2 * c);
  kernels.batchNormGrad(gd as FloatArray, xd as FloatArray, n, c, s, mu, is, w, dx, sums, training);
  for (let ch = 0; ch < c; ch++) {
    dw[ch] = sums[ch]!;
    db[ch] = sums[c + ch]!;
  }
  return { dx: new Tensor(dx, x.shape), dweight: new Tensor(dw, [c]), dbias: new Tensor(db, [c]) };
}
