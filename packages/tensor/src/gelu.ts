// GELU and its gradient, one pass each in float64 (torch.nn.functional.gelu's two forms).
import { allocArray, isFloat } from './dtype.js';
import { erfcNumber } from './erf.js';
import { fail, fmtShape } from './errors.js';
import { Tensor } from './tensor.js';

/** 'none': x·Φ(x) with the exact normal CDF; 'tanh': the tanh approximation (torch's `approximate`). */
export type GeluApproximate = 'none' | 'tanh';

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const KAPPA = 0.044715;

/** Φ(x) = erfc(−x/√2)/2: no cancellation for large negative x, where 1 + erf(x/√2) rounds to 0. */
const normalCdf = (x: number): number => 0.5 * erfcNumber(-x * SQRT1_2);

/** σ(2u) = (1 + tanh u)/2, written with one exp that never overflows. */
function halfOnePlusTanh(u: number): number {
  const e = Math.exp(-2 * Math.abs(u));
  return (u >= 0 ? 1 : e) / (1 + e);
}

function checkApproximate(op: string, approximate: unknown): asserts approximate is GeluApproximate {
  if (approximate !== 'none' && approximate !== 'tanh')
    fail(op, `approximate must be 'none' or 'tanh', received ${JSON.stringify(approximate)}`);
}

function geluValue(x: number, tanhForm: boolean): number {
  if (!tanhForm) return x * normalCdf(x);
  return x * halfOnePlusTanh(SQRT_2_OVER_PI * (x + KAPPA * x * x * x));
}

function geluSlope(x: number, tanhForm: boolean): number {
  if (!tanhForm) return normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  // d/dx x·σ(2u) = σ(2u) + 2x·σ(2u)(1 − σ(2u))·u′, u′ = √(2/π)(1 + 3κx²).
  const s = halfOnePlusTanh(SQRT_2_OVER_PI * (x + KAPPA * x * x * x));
  return s + 2 * x * s * (1 - s) * SQRT_2_OVER_PI * (1 + 3 * KAPPA * x * x);
}

/**
 * Gaussian error linear unit, elementwise (F.gelu): x·Φ(x) with approximate 'none' (the default),
 * 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))) with 'tanh'. Computed in float64; int32 gives float32.
 */
export function gelu(x: Tensor, approximate: GeluApproximate = 'none'): Tensor {
  if (!(x instanceof Tensor)) fail('gelu', `x must be a Tensor, received ${x === null ? 'null' : typeof x}`);
  checkApproximate('gelu', approximate);
  const tanhForm = approximate === 'tanh';
  const out = allocArray(isFloat(x.dtype) ? x.dtype : 'float32', x.size);
  const xd = x.contiguous().data;
  for (let i = 0; i < out.length; i++) out[i] = geluValue(xd[i]!, tanhForm);
  return new Tensor(out, x.shape);
}

/** Gradient of gelu: dy·gelu′(x), elementwise; dy and x have the same shape. */
export function geluGrad(dy: Tensor, x: Tensor, approximate: GeluApproximate = 'none'): Tensor {
  if (!(dy instanceof Tensor) || !(x instanceof Tensor))
    fail('geluGrad', `dy and x must be Tensors, received ${typeof dy} and ${typeof x}`);
  checkApproximate('geluGrad', approximate);
  if (dy.ndim !== x.ndim || dy.shape.some((d, i) => d !== x.shape[i]))
    fail('geluGrad', `dy must have the shape of x ${fmtShape(x.shape)}, received ${fmtShape(dy.shape)}`);
  const tanhForm = approximate === 'tanh';
  const dtype = dy.dtype === 'float64' || x.dtype === 'float64' ? 'float64' : 'float32';
  const out = allocArray(dtype, x.size);
  const xd = x.contiguous().data;
  const gd = dy.contiguous().data;
  for (let i = 0; i < out.length; i++) out[i] = gd[i]! * geluSlope(xd[i]!, tanhForm);
  return new Tensor(out, x.shape);
}
