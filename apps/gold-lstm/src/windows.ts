import { MinMaxScaler, StandardScaler, slidingWindows } from '@tsdl/data';
import { Tensor } from '@tsdl/tensor';
import type { Split } from './split.js';

/**
 * What the network predicts: the next price itself, or the next log return log(p[t] / p[t-1]) from
 * which the price is rebuilt as p[t-1]·exp(r). Prices wander far outside the range seen in training
 * (gold went from $35 to $4 000); returns are nearly stationary.
 */
export type Target = 'price' | 'return';

/** Samples built from the raw window p[t-window .. t-1] for targets p[t]. */
export interface Windows {
  /** Features, [count, steps] row-major (unscaled): prices, or the window's window-1 log returns. */
  x: Float64Array;
  /** Labels (unscaled): p[t], or log(p[t] / p[t-1]). */
  y: Float64Array;
  /** The last price of each window, p[t-1] (what persistence predicts). */
  last: Float64Array;
  /** Target step t of each sample. */
  t: Int32Array;
  count: number;
  steps: number;
}

/** Sequence length the network sees for a window of `window` prices. */
export function stepsOf(window: number, target: Target): number {
  return target === 'return' ? window - 1 : window;
}

/** Features of one raw price window (the same transform the ONNX wrapper does with graph ops). */
export function featuresOf(
  win: ArrayLike<number>,
  target: Target,
  out: Float64Array<ArrayBufferLike> = new Float64Array(stepsOf(win.length, target)),
): Float64Array<ArrayBufferLike> {
  if (target === 'price') {
    for (let i = 0; i < win.length; i++) out[i] = win[i]!;
  } else {
    for (let i = 1; i < win.length; i++) {
      const a = win[i - 1]!;
      const b = win[i]!;
      if (!(a > 0 && b > 0))
        throw new Error(`features: target 'return' needs positive prices, received ${a} and ${b}`);
      out[i - 1] = Math.log(b / a);
    }
  }
  return out;
}

/** Maps a label back to a price, given the last price of its window. */
export function toPrice(label: number, last: number, target: Target): number {
  return target === 'price' ? label : last * Math.exp(label);
}

/**
 * Windows (via `slidingWindows`, no look-ahead: sample t reads only p[t-window .. t-1]) whose target
 * step t lies in [from, to). Windows may start in an earlier part: those inputs are the past, known
 * when the forecast is made.
 */
export function makeWindows(
  values: Float64Array,
  window: number,
  target: Target,
  from: number,
  to: number,
): Windows {
  const minWindow = target === 'return' ? 2 : 1;
  if (!Number.isInteger(window) || window < minWindow)
    throw new Error(
      `makeWindows: window must be an integer ≥ ${minWindow} for target '${target}', received ${window}`,
    );
  const { x: xs, y: ys } = slidingWindows(new Tensor(values, [values.length]), window, 1);
  const raw = xs.toTypedArray();
  const next = ys.toTypedArray();
  const first = Math.max(from, window);
  const count = Math.max(0, Math.min(to, values.length) - first);
  const steps = stepsOf(window, target);
  const out: Windows = {
    x: new Float64Array(count * steps),
    y: new Float64Array(count),
    last: new Float64Array(count),
    t: new Int32Array(count),
    count,
    steps,
  };
  for (let k = 0; k < count; k++) {
    const t = first + k;
    const i = t - window; // slidingWindows' sample i targets step i + window
    const win = raw.subarray(i * window, (i + 1) * window);
    featuresOf(win, target, out.x.subarray(k * steps, (k + 1) * steps));
    const last = win[window - 1]!;
    out.last[k] = last;
    out.y[k] = target === 'price' ? next[i]! : Math.log(next[i]! / last);
    out.t[k] = t;
  }
  return out;
}

/** z = (v - shift) / scale: the whole scaler, as the two constants the ONNX graph folds in. */
export interface Affine {
  shift: number;
  scale: number;
}

export type ScalerJSON = ReturnType<MinMaxScaler['toJSON']> | ReturnType<StandardScaler['toJSON']>;

/**
 * Fits the scaler on the training part only (steps [0, trainEnd)): MinMaxScaler to [0, 1] on prices,
 * StandardScaler on the log returns inside the training part. Test values never reach it.
 */
export function fitScaler(
  values: Float64Array,
  split: Split,
  target: Target,
): { affine: Affine; json: ScalerJSON } {
  const train = values.subarray(0, split.trainEnd);
  if (target === 'price') {
    const s = new MinMaxScaler().fit(Array.from(train, (v) => [v]));
    return { affine: affineOf(s.toJSON()), json: s.toJSON() };
  }
  const r = featuresOf(train, 'return');
  const s = new StandardScaler().fit(Array.from(r, (v) => [v]));
  return { affine: affineOf(s.toJSON()), json: s.toJSON() };
}

/** The (shift, scale) pair of a fitted one-column scaler. */
export function affineOf(json: ScalerJSON): Affine {
  if (json.type === 'MinMaxScaler') {
    const [lo, hi] = json.featureRange;
    const range = json.dataMax[0]! - json.dataMin[0]! || 1;
    // v·(hi-lo)/range + lo - dataMin·(hi-lo)/range  ⇔  (v - shift) / scale
    const scale = range / (hi - lo);
    return { shift: json.dataMin[0]! - lo * scale, scale };
  }
  const sd = Math.sqrt(json.var[0]!);
  return { shift: json.withMean ? json.mean[0]! : 0, scale: json.withStd && sd > 0 ? sd : 1 };
}
