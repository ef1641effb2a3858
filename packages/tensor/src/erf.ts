// The error function and its complement. JavaScript has no Math.erf: this is W. J. Cody's
// rational Chebyshev approximation (Math. Comp. 23 (1969) 631–637; Netlib specfun CALERF), whose
// coefficients are good to ~18 digits, so in double arithmetic it is off by a few ulps at most.
import { allocArray, isFloat } from './dtype.js';
import { fail } from './errors.js';
import { Tensor } from './tensor.js';

// Cody's coefficients with their published digits (more than a double holds; each literal rounds to
// the nearest double), so they can be checked against CALERF line by line.
// biome-ignore-start lint/correctness/noPrecisionLoss: published digits, see above
// erf on [0, 0.46875].
const A = [
  3.1611237438705656, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3,
  1.85777706184603153e-1,
];
const B = [2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3];
// erfc on (0.46875, 4].
const C = [
  5.64188496988670089e-1, 8.88314979438837594, 6.61191906371416295e1, 2.98635138197400131e2,
  8.8195222124176909e2, 1.71204761263407058e3, 2.05107837782607147e3, 1.23033935479799725e3,
  2.15311535474403846e-8,
];
const D = [
  1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3,
  3.29079923573345963e3, 4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3,
];
// erfc on (4, XBIG), in powers of 1/x².
const P = [
  3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2,
  6.58749161529837803e-4, 1.63153871373020978e-2,
];
const Q = [
  2.56852019228982242, 1.87295284992346047, 5.27905102951428412e-1, 6.05183413124413191e-2,
  2.33520497626869185e-3,
];
const ONE_OVER_SQRT_PI = 5.6418958354775628695e-1;
// biome-ignore-end lint/correctness/noPrecisionLoss: published digits, see above
const THRESH = 0.46875;
/** erfc(x) underflows to 0 beyond this. */
const XBIG = 26.543;

/** erf(x) for |x| ≤ THRESH. */
function erfSmall(x: number): number {
  const z = x * x;
  let num = A[4]! * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]!) * z;
    den = (den + B[i]!) * z;
  }
  return (x * (num + A[3]!)) / (den + B[3]!);
}

/** erfc(y) for y > THRESH. */
function erfcLarge(y: number): number {
  let r: number;
  if (y <= 4) {
    let num = C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    r = (num + C[7]!) / (den + D[7]!);
  } else {
    if (y >= XBIG) return 0;
    const z = 1 / (y * y);
    let num = P[5]! * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]!) * z;
      den = (den + Q[i]!) * z;
    }
    r = (ONE_OVER_SQRT_PI - (z * (num + P[4]!)) / (den + Q[4]!)) / y;
  }
  // exp(-y²) as exp(-s²)·exp(-(y−s)(y+s)) with s = y rounded down to 1/16: s² is exact, so the
  // rounding error of y² is not amplified by the exponential.
  const s = Math.trunc(y * 16) / 16;
  return Math.exp(-s * s) * Math.exp(-(y - s) * (y + s)) * r;
}

/** erf of one number, to a few ulps (odd; ±1 beyond |x| ≈ 5.9, NaN for NaN). */
export function erfNumber(x: number): number {
  if (Number.isNaN(x)) return x;
  const y = Math.abs(x);
  if (y <= THRESH) return erfSmall(x);
  const r = 0.5 - erfcLarge(y) + 0.5;
  return x < 0 ? -r : r;
}

/** erfc(x) = 1 − erf(x) of one number, without the cancellation of 1 − erf(x) for large x. */
export function erfcNumber(x: number): number {
  if (Number.isNaN(x)) return x;
  const y = Math.abs(x);
  if (y <= THRESH) return 1 - erfSmall(x);
  const r = erfcLarge(y);
  return x < 0 ? 2 - r : r;
}

function elementwise(op: string, x: Tensor, f: (v: number) => number): Tensor {
  if (!(x instanceof Tensor)) fail(op, `x must be a Tensor, received ${x === null ? 'null' : typeof x}`);
  const out = allocArray(isFloat(x.dtype) ? x.dtype : 'float32', x.size);
  const xd = x.contiguous().data;
  for (let i = 0; i < out.length; i++) out[i] = f(xd[i]!);
  return new Tensor(out, x.shape);
}

/** Gauss error function, elementwise (torch.erf): computed in float64, int32 input gives float32. */
export const erf = (x: Tensor): Tensor => elementwise('erf', x, erfNumber);

/** Complementary error function 1 − erf(x), elementwise (torch.erfc), accurate where erf(x) ≈ 1. */
export const erfc = (x: Tensor): Tensor => elementwise('erfc', x, erfcNumber);
