// Fused layer-normalisation kernels over the trailing dims of x (F.layer_norm): each of the M rows of
// K = prod(normalizedShape) values gets its mean and biased variance, accumulated in float64 (two
// passes, as in batch-norm.ts), then one pass each for y and for dx.
import { allocArray, type DType } from './dtype.js';
import { fail, fmtShape } from './errors.js';
import { Tensor } from './tensor.js';

export interface LayerNormForwardResult {
  y: Tensor;
  /** Mean of each row, float64, of x's leading (batch) shape. */
  mean: Tensor;
  /** 1/sqrt(var + eps) of each row, float64, of x's leading (batch) shape. */
  invStd: Tensor;
}

export interface LayerNormBackwardResult {
  dx: Tensor;
  /** Σ over rows of dy·x̂, of normalizedShape (computed whether or not there is a weight). */
  dweight: Tensor;
  /** Σ over rows of dy, of normalizedShape. */
  dbias: Tensor;
}

interface Layout {
  shape: number[];
  /** Rows. */
  m: number;
  /** Values per row. */
  k: number;
}

/** Checks normalizedShape against x's trailing dims (PyTorch's rule) and returns the row layout. */
function layoutOf(op: string, x: Tensor, normalizedShape: number | readonly number[]): Layout {
  if (!(x instanceof Tensor)) fail(op, `x must be a Tensor, received ${x === null ? 'null' : typeof x}`);
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...(normalizedShape ?? [])];
  if (shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0))
    fail(
      op,
      `normalizedShape must be one or more positive integers, received ${JSON.stringify(normalizedShape)}`,
    );
  const lead = x.ndim - shape.length;
  if (lead < 0 || shape.some((d, i) => x.shape[lead + i] !== d)) {
    fail(
      op,
      `normalizedShape ${fmtShape(shape)} must match the trailing dims of x, expected shape [*,${shape.join(',')}], received ${fmtShape(x.shape)}`,
    );
  }
  const k = shape.reduce((a, b) => a * b, 1);
  return { shape, m: x.size / k, k };
}

function floatDType(d: DType): DType {
  return d === 'float64' ? 'float64' : 'float32';
}

/** Elements of a per-position tensor of normalizedShape (or null), checked by name. */
function affineValues(op: string, name: string, t: Tensor | null | undefined, shape: number[]) {
  if (t == null) return null;
  if (!(t instanceof Tensor)) fail(op, `${name} must be a Tensor or null, received ${typeof t}`);
  if (t.ndim !== shape.length || t.shape.some((d, i) => d !== shape[i]))
    fail(op, `${name} must have normalizedShape ${fmtShape(shape)}, received ${fmtShape(t.shape)}`);
  return t.contiguous().data;
}

/** The row statistics layerNormForward returned, checked against the rows of x. */
function rowStats(op: string, x: Tensor, l: Layout, mean: Tensor, invStd: Tensor) {
  const lead = x.shape.slice(0, x.ndim - l.shape.length);
  for (const [name, t] of [
    ['mean', mean],
    ['invStd', invStd],
  ] as const) {
    if (!(t instanceof Tensor) || t.size !== l.m)
      fail(
        op,
        `${name} must have x's leading shape ${fmtShape(lead)}, received ${t instanceof Tensor ? fmtShape(t.shape) : typeof t}`,
      );
  }
  return { mu: mean.contiguous().data, is: invStd.contiguous().data };
}

/**
 * y = (x − mean)·invStd·weight + bias over the last normalizedShape.length dims, with each row's mean
 * and biased variance (as torch normalises). weight/bias null mean ones/zeros.
 */
export function layerNormForward(
  x: Tensor,
  normalizedShape: number | readonly number[],
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  eps = 1e-5,
): LayerNormForwardResult {
  const op = 'layerNormForward';
  const l = layoutOf(op, x, normalizedShape);
  const { m, k } = l;
  const w = affineValues(op, 'weight', weight, l.shape);
  const b = affineValues(op, 'bias', bias, l.shape);
  const xd = x.contiguous().data;
  const out = allocArray(floatDType(x.dtype), x.size);
  const mean = new Float64Array(m);
  const invStd = new Float64Array(m);
  for (let r = 0, base = 0; r < m; r++, base += k) {
    let acc = 0;
    for (let j = base, end = base + k; j < end; j++) acc += xd[j]!;
    const mu = acc / k;
    let sq = 0;
    for (let j = base, end = base + k; j < end; j++) {
      const d = xd[j]! - mu;
      sq += d * d;
    }
    const is = 1 / Math.sqrt(sq / k + eps);
    mean[r] = mu;
    invStd[r] = is;
    for (let j = 0; j < k; j++) {
      const xhat = (xd[base + j]! - mu) * is;
      out[base + j] = (w === null ? xhat : xhat * w[j]!) + (b === null ? 0 : b[j]!);
    }
  }
  const lead = x.shape.slice(0, x.ndim - l.shape.length);
  return { y: new Tensor(out, x.shape), mean: new Tensor(mean, lead), invStd: new Tensor(invStd, lead) };
}

/**
 * Gradients of layerNormForward given the mean and invStd it used: with g = dy·weight per row,
 * dx = invStd·(g − mean(g) − x̂·mean(g·x̂)); dweight = Σ dy·x̂ and dbias = Σ dy over rows, in
 * weight's (else x's) float dtype.
 */
export function layerNormBackward(
  dy: Tensor,
  x: Tensor,
  normalizedShape: number | readonly number[],
  mean: Tensor,
  invStd: Tensor,
  weight: Tensor | null = null,
): LayerNormBackwardResult {
  const op = 'layerNormBackward';
  const l = layoutOf(op, x, normalizedShape);
  const { m, k } = l;
  if (!(dy instanceof Tensor) || dy.ndim !== x.ndim || dy.shape.some((d, i) => d !== x.shape[i]))
    fail(
      op,
      `dy must have the shape of x ${fmtShape(x.shape)}, received ${dy instanceof Tensor ? fmtShape(dy.shape) : typeof dy}`,
    );
  const { mu, is } = rowStats(op, x, l, mean, invStd);
  const w = affineValues(op, 'weight', weight, l.shape);
  const xd = x.contiguous().data;
  const gd = dy.contiguous().data;
  const dx = allocArray(floatDType(x.dtype), x.size);
  const dw = new Float64Array(k);
  const db = new Float64Array(k);
  for (let r = 0, base = 0; r < m; r++, base += k) {
    const mr = mu[r]!;
    const ir = is[r]!;
    let sumG = 0;
    let sumGXhat = 0;
    for (let j = 0; j < k; j++) {
      const d = gd[base + j]!;
      const xhat = (xd[base + j]! - mr) * ir;
      dw[j]! += d * xhat;
      db[j]! += d;
      const g = w === null ? d : d * w[j]!;
      sumG += g;
      sumGXhat += g * xhat;
    }
    const meanG = sumG / k;
    const meanGXhat = sumGXhat / k;
    for (let j = 0; j < k; j++) {
      const xhat = (xd[base + j]! - mr) * ir;
      const g = w === null ? gd[base + j]! : gd[base + j]! * w[j]!;
      dx[base + j] = ir * (g - meanG - xhat * meanGXhat);
    }
  }
  const pdtype = floatDType(weight?.dtype ?? x.dtype);
  const cast = (a: Float64Array) => {
    const o = allocArray(pdtype, k);
    o.set(a);
    return new Tensor(o, l.shape);
  };
  return { dx: new Tensor(dx, x.shape), dweight: cast(dw), dbias: cast(db) };
}
