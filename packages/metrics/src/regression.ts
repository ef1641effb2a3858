import { fail, fmtShape } from './errors.js';
import { checkNonEmpty, type Matrix, toDense, type Vector } from './input.js';

/**
 * For 2-d targets [n, outputs] (scikit-learn's `multioutput`): `'uniform_average'` (default) means
 * over outputs, `'raw_values'` returns one value per output.
 */
export interface RegressionOptions {
  multioutput?: 'uniform_average' | 'raw_values';
}

export interface R2Options {
  /** As for the other regression metrics, plus `'variance_weighted'` (weights = each output's variance). */
  multioutput?: 'uniform_average' | 'raw_values' | 'variance_weighted';
  /**
   * scikit-learn's force_finite (default true): a constant yTrue gives 1 when predicted exactly and 0
   * otherwise, instead of NaN / -Infinity.
   */
  forceFinite?: boolean;
}

type Targets = Vector | Matrix;

/** float64 machine epsilon, the floor scikit-learn puts under |yTrue| in MAPE's denominator. */
const EPS = 2 ** -52;

interface Columns {
  t: Float64Array;
  p: Float64Array;
  n: number;
  d: number;
}

/** 1-d inputs become one column, like scikit-learn's _check_reg_targets; [n] and [n,1] mix. */
function columns(fn: string, yTrue: Targets, yPred: Targets): Columns {
  const a = toDense(fn, 'yTrue', yTrue);
  const b = toDense(fn, 'yPred', yPred);
  const d = a.shape[1] ?? 1;
  if (a.shape[0] !== b.shape[0] || d !== (b.shape[1] ?? 1)) {
    fail(
      fn,
      `yPred has shape ${fmtShape(b.shape)} but yTrue has shape ${fmtShape(a.shape)}; expected the same shape`,
    );
  }
  checkNonEmpty(fn, 'yTrue', a.data);
  return { t: a.data, p: b.data, n: a.shape[0], d };
}

/** Mean over samples of term(t, p), one value per output column. */
function perOutput(c: Columns, term: (t: number, p: number) => number): number[] {
  const out: number[] = [];
  for (let j = 0; j < c.d; j++) {
    let s = 0;
    for (let i = 0; i < c.n; i++) s += term(c.t[i * c.d + j]!, c.p[i * c.d + j]!);
    out.push(s / c.n);
  }
  return out;
}

function combine(fn: string, values: number[], multioutput: string | undefined): number | number[] {
  const mode = multioutput ?? 'uniform_average';
  if (mode === 'raw_values') return values;
  if (mode !== 'uniform_average')
    fail(fn, `multioutput must be 'uniform_average' or 'raw_values', received ${mode}`);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Mean absolute error; scikit-learn's mean_absolute_error. */
export function mae(yTrue: Targets, yPred: Targets, options: { multioutput: 'raw_values' }): number[];
export function mae(yTrue: Targets, yPred: Targets, options?: { multioutput?: 'uniform_average' }): number;
export function mae(yTrue: Targets, yPred: Targets, options: RegressionOptions): number | number[];
export function mae(yTrue: Targets, yPred: Targets, options: RegressionOptions = {}): number | number[] {
  const c = columns('mae', yTrue, yPred);
  return combine(
    'mae',
    perOutput(c, (t, p) => Math.abs(p - t)),
    options.multioutput,
  );
}

/** Mean squared error; scikit-learn's mean_squared_error. */
export function mse(yTrue: Targets, yPred: Targets, options: { multioutput: 'raw_values' }): number[];
export function mse(yTrue: Targets, yPred: Targets, options?: { multioutput?: 'uniform_average' }): number;
export function mse(yTrue: Targets, yPred: Targets, options: RegressionOptions): number | number[];
export function mse(yTrue: Targets, yPred: Targets, options: RegressionOptions = {}): number | number[] {
  const c = columns('mse', yTrue, yPred);
  return combine(
    'mse',
    perOutput(c, (t, p) => (t - p) * (t - p)),
    options.multioutput,
  );
}

/**
 * Root mean squared error; scikit-learn's mean_squared_error(squared=False): for several outputs the
 * root is taken per output, then averaged.
 */
export function rmse(yTrue: Targets, yPred: Targets, options: { multioutput: 'raw_values' }): number[];
export function rmse(yTrue: Targets, yPred: Targets, options?: { multioutput?: 'uniform_average' }): number;
export function rmse(yTrue: Targets, yPred: Targets, options: RegressionOptions): number | number[];
export function rmse(yTrue: Targets, yPred: Targets, options: RegressionOptions = {}): number | number[] {
  const c = columns('rmse', yTrue, yPred);
  return combine('rmse', perOutput(c, (t, p) => (t - p) * (t - p)).map(Math.sqrt), options.multioutput);
}

/**
 * Mean absolute percentage error as a fraction (0.1 = 10 %), scikit-learn's
 * mean_absolute_percentage_error: mean of |yPred - yTrue| / max(|yTrue|, eps) with eps = 2^-52.
 * A zero target therefore contributes |yPred| / 2.2e-16 — a huge but finite number (0 when the
 * prediction is also exactly 0), not Infinity or an error.
 */
export function mape(yTrue: Targets, yPred: Targets, options: { multioutput: 'raw_values' }): number[];
export function mape(yTrue: Targets, yPred: Targets, options?: { multioutput?: 'uniform_average' }): number;
export function mape(yTrue: Targets, yPred: Targets, options: RegressionOptions): number | number[];
export function mape(yTrue: Targets, yPred: Targets, options: RegressionOptions = {}): number | number[] {
  const c = columns('mape', yTrue, yPred);
  return combine(
    'mape',
    perOutput(c, (t, p) => Math.abs(p - t) / Math.max(Math.abs(t), EPS)),
    options.multioutput,
  );
}

/**
 * Coefficient of determination, scikit-learn's r2_score: 1 - SS_res / SS_tot per output. With fewer
 * than two samples it is not defined and NaN is returned (scikit-learn warns and returns NaN).
 * A constant yTrue (SS_tot = 0) gives 1 for a perfect prediction and 0 otherwise (see forceFinite).
 */
export function r2(
  yTrue: Targets,
  yPred: Targets,
  options: R2Options & { multioutput: 'raw_values' },
): number[];
export function r2(
  yTrue: Targets,
  yPred: Targets,
  options?: R2Options & { multioutput?: 'uniform_average' | 'variance_weighted' },
): number;
export function r2(yTrue: Targets, yPred: Targets, options: R2Options): number | number[];
export function r2(yTrue: Targets, yPred: Targets, options: R2Options = {}): number | number[] {
  const fn = 'r2';
  const c = columns(fn, yTrue, yPred);
  const mode = options.multioutput ?? 'uniform_average';
  if (mode !== 'uniform_average' && mode !== 'raw_values' && mode !== 'variance_weighted') {
    fail(
      fn,
      `multioutput must be 'uniform_average', 'raw_values' or 'variance_weighted', received ${String(mode)}`,
    );
  }
  if (c.n < 2) return mode === 'raw_values' ? new Array<number>(c.d).fill(Number.NaN) : Number.NaN;
  const forceFinite = options.forceFinite ?? true;
  const num: number[] = [];
  const den: number[] = [];
  for (let j = 0; j < c.d; j++) {
    let mean = 0;
    for (let i = 0; i < c.n; i++) mean += c.t[i * c.d + j]!;
    mean /= c.n;
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < c.n; i++) {
      const t = c.t[i * c.d + j]!;
      const e = t - c.p[i * c.d + j]!;
      ssRes += e * e;
      ssTot += (t - mean) * (t - mean);
    }
    num.push(ssRes);
    den.push(ssTot);
  }
  const scores = num.map((nu, j) => {
    const de = den[j]!;
    if (!forceFinite) return 1 - nu / de;
    if (de !== 0 && nu !== 0) return 1 - nu / de;
    return nu !== 0 ? 0 : 1;
  });
  if (mode === 'raw_values') return scores;
  if (mode === 'variance_weighted') {
    const total = den.reduce((a, b) => a + b, 0);
    if (den.every((v) => v === 0)) return num.every((v) => v === 0) ? 1 : 0;
    let s = 0;
    for (let j = 0; j < c.d; j++) s += scores[j]! * den[j]!;
    return s / total;
  }
  return scores.reduce((a, b) => a + b, 0) / scores.length;
}
