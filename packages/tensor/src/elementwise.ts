import { allocArray, type DType, isFloat, promoteScalar, promoteTypes, type TypedArray } from './dtype.js';
import { fail, fmtShape } from './errors.js';
import { type ArithOp, kernels } from './kernels.js';
import { broadcastShapes, sameShape, shapeSize } from './shape.js';
import { Tensor } from './tensor.js';

export type Operand = Tensor | number;
type Fn2 = (x: number, y: number) => number;
type Fn1 = (x: number) => number;

function checkOperand(op: string, arg: string, v: unknown): void {
  if (!(v instanceof Tensor) && typeof v !== 'number') {
    fail(op, `${arg} must be a Tensor or a number, received ${v === null ? 'null' : typeof v}`);
  }
}

/** Strides of `t` viewed in the broadcast `outShape` (0 along broadcast dims). */
export function broadcastStrides(t: Tensor, outShape: readonly number[]): number[] {
  const nd = outShape.length;
  const s = new Array<number>(nd).fill(0);
  for (let i = 0; i < t.ndim; i++) {
    const o = nd - t.ndim + i;
    s[o] = t.shape[i] === 1 ? 0 : t.strides[i]!;
  }
  return s;
}

/**
 * Visits every element of `outShape` in row-major order, calling `body(out, ia, ib)` with the
 * storage positions of up to two strided inputs. The innermost dim runs as a tight loop.
 */
export function forEachBroadcast(
  outShape: readonly number[],
  sa: readonly number[],
  oa: number,
  sb: readonly number[],
  ob: number,
  body: (o: number, ia: number, ib: number) => void,
): void {
  const nd = outShape.length;
  const n = shapeSize(outShape);
  if (n === 0) return;
  if (nd === 0) {
    body(0, oa, ob);
    return;
  }
  const inner = outShape[nd - 1]!;
  const ia1 = sa[nd - 1]!;
  const ib1 = sb[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let pa = oa;
  let pb = ob;
  for (let o = 0; o < n; o += inner) {
    for (let j = 0, qa = pa, qb = pb; j < inner; j++, qa += ia1, qb += ib1) body(o + j, qa, qb);
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      pa += sa[d]!;
      pb += sb[d]!;
      if (idx[d]! < outShape[d]!) break;
      pa -= sa[d]! * outShape[d]!;
      pb -= sb[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}

// Tight loops for the hot ops. `binary`/`unary` call `f` through a pointer that V8 sees with every
// op (megamorphic, never inlined); these loops spell each op out instead. They compute exactly
// what `f` does, in the same order, so the generic path stays their reference.
// float32 +, −, ×, ÷ go to the registry's float32 kernels (WebAssembly SIMD when installed).
type Code = ArithOp | 'gt' | 'lt' | 'ge' | 'le';
const isArith = (c: Code): c is ArithOp => c === 'add' || c === 'sub' || c === 'mul' || c === 'div';

/** out[o0 + i] = f(a[ia + i], b[ib + i]) for i < n. */
// biome-ignore format: one line per op
function loopAB(c: Code, out: TypedArray, o0: number, a: TypedArray, ia: number, b: TypedArray, ib: number, n: number): void {
  const d = ia - o0;
  const e = ib - o0;
  const end = o0 + n;
  switch (c) {
    case 'add': for (let i = o0; i < end; i++) out[i] = a[i + d]! + b[i + e]!; return;
    case 'sub': for (let i = o0; i < end; i++) out[i] = a[i + d]! - b[i + e]!; return;
    case 'mul': for (let i = o0; i < end; i++) out[i] = a[i + d]! * b[i + e]!; return;
    case 'div': for (let i = o0; i < end; i++) out[i] = a[i + d]! / b[i + e]!; return;
    case 'gt': for (let i = o0; i < end; i++) out[i] = +(a[i + d]! > b[i + e]!); return;
    case 'lt': for (let i = o0; i < end; i++) out[i] = +(a[i + d]! < b[i + e]!); return;
    case 'ge': for (let i = o0; i < end; i++) out[i] = +(a[i + d]! >= b[i + e]!); return;
    case 'le': for (let i = o0; i < end; i++) out[i] = +(a[i + d]! <= b[i + e]!); return;
  }
}

/** out[o0 + i] = f(a[ia + i], s) (scalarLeft: f(s, a[ia + i])) for i < n. */
// biome-ignore format: one line per op
function loopAS(c: Code, out: TypedArray, o0: number, a: TypedArray, ia: number, s: number, scalarLeft: boolean, n: number): void {
  const d = ia - o0;
  const end = o0 + n;
  if (scalarLeft) {
    switch (c) {
      case 'sub': for (let i = o0; i < end; i++) out[i] = s - a[i + d]!; return;
      case 'div': for (let i = o0; i < end; i++) out[i] = s / a[i + d]!; return;
      case 'gt': for (let i = o0; i < end; i++) out[i] = +(s > a[i + d]!); return;
      case 'lt': for (let i = o0; i < end; i++) out[i] = +(s < a[i + d]!); return;
      case 'ge': for (let i = o0; i < end; i++) out[i] = +(s >= a[i + d]!); return;
      case 'le': for (let i = o0; i < end; i++) out[i] = +(s <= a[i + d]!); return;
      case 'add': for (let i = o0; i < end; i++) out[i] = s + a[i + d]!; return;
      case 'mul': for (let i = o0; i < end; i++) out[i] = s * a[i + d]!; return;
    }
  }
  switch (c) {
    case 'add': for (let i = o0; i < end; i++) out[i] = a[i + d]! + s; return;
    case 'sub': for (let i = o0; i < end; i++) out[i] = a[i + d]! - s; return;
    case 'mul': for (let i = o0; i < end; i++) out[i] = a[i + d]! * s; return;
    case 'div': for (let i = o0; i < end; i++) out[i] = a[i + d]! / s; return;
    case 'gt': for (let i = o0; i < end; i++) out[i] = +(a[i + d]! > s); return;
    case 'lt': for (let i = o0; i < end; i++) out[i] = +(a[i + d]! < s); return;
    case 'ge': for (let i = o0; i < end; i++) out[i] = +(a[i + d]! >= s); return;
    case 'le': for (let i = o0; i < end; i++) out[i] = +(a[i + d]! <= s); return;
  }
}

/** Elements of t (contiguous) repeat with period t.size along the row-major order of `shape`. */
function tilesInto(t: Tensor, shape: readonly number[]): boolean {
  let k = t.ndim;
  while (k > 0 && t.shape[t.ndim - k] === 1) k--; // drop leading 1s
  if (k > shape.length) return false;
  for (let i = 1; i <= k; i++) if (t.shape[t.ndim - i] !== shape[shape.length - i]) return false;
  return true;
}

/**
 * Fast paths for contiguous operands of a broadcast `shape`: one operand covers it whole (same
 * shape up to leading 1s) and the other is the same, a scalar, or a repeating row (a bias).
 * Returns false when the generic walk must run.
 */
function binaryFast(c: Code, a: Tensor, b: Tensor, shape: readonly number[], out: TypedArray): boolean {
  if (!a.isContiguous() || !b.isContiguous()) return false;
  const n = out.length;
  const aFull = a.size === n;
  const bFull = b.size === n;
  if (!aFull && !bFull) return false;
  const [full, part, fullIsA] = aFull ? [a, b, true] : [b, a, false];
  if (!tilesInto(part, shape)) return false;
  const m = part.size;
  if (m === 0) return true;
  const ad = a.data;
  const bd = b.data;
  if (isArith(c) && out instanceof Float32Array && ad instanceof Float32Array && bd instanceof Float32Array) {
    kernels.binaryF32(c, ad, a.offset, fullIsA ? n : m, bd, b.offset, fullIsA ? m : n, out, n);
    return true;
  }
  if (m === n) {
    loopAB(c, out, 0, ad, a.offset, bd, b.offset, n);
    return true;
  }
  if (m === 1) {
    loopAS(c, out, 0, full.data, full.offset, part.data[part.offset]!, !fullIsA, n);
    return true;
  }
  for (let r = 0; r < n; r += m) {
    if (fullIsA) loopAB(c, out, r, ad, a.offset + r, bd, b.offset, m);
    else loopAB(c, out, r, ad, a.offset, bd, b.offset + r, m);
  }
  return true;
}

function binary(
  op: string,
  a: Operand,
  b: Operand,
  f: Fn2,
  outType: (a: DType, b: DType) => DType,
  code?: Code,
): Tensor {
  checkOperand(op, 'a', a);
  checkOperand(op, 'b', b);
  if (typeof a === 'number' && typeof b === 'number') {
    return new Tensor(allocArrayFrom(outType('float32', 'float32'), [f(a, b)]), []);
  }
  if (typeof b === 'number') {
    const x = a as Tensor;
    const out = allocArray(outType(promoteScalar(x.dtype, b), promoteScalar(x.dtype, b)), x.size);
    const xd = x.isContiguous() ? x.data : x.toTypedArray();
    const off = x.isContiguous() ? x.offset : 0;
    if (code && isArith(code) && xd instanceof Float32Array && out instanceof Float32Array)
      kernels.scalarF32(code, xd, off, b, false, out, out.length);
    else if (code) loopAS(code, out, 0, xd, off, b, false, out.length);
    else for (let i = 0; i < out.length; i++) out[i] = f(xd[off + i]!, b);
    return new Tensor(out, x.shape);
  }
  if (typeof a === 'number') {
    const y = b;
    const out = allocArray(outType(promoteScalar(y.dtype, a), promoteScalar(y.dtype, a)), y.size);
    const yd = y.isContiguous() ? y.data : y.toTypedArray();
    const off = y.isContiguous() ? y.offset : 0;
    if (code && isArith(code) && yd instanceof Float32Array && out instanceof Float32Array)
      kernels.scalarF32(code, yd, off, a, true, out, out.length);
    else if (code) loopAS(code, out, 0, yd, off, a, true, out.length);
    else for (let i = 0; i < out.length; i++) out[i] = f(a, yd[off + i]!);
    return new Tensor(out, y.shape);
  }
  const dtype = outType(a.dtype, b.dtype);
  if (code) {
    const shape = sameShape(a.shape, b.shape) ? a.shape : broadcastShapes(op, a.shape, b.shape);
    const out = allocArray(dtype, shapeSize(shape));
    if (binaryFast(code, a, b, shape, out)) return new Tensor(out, shape);
  }
  if (sameShape(a.shape, b.shape) && a.isContiguous() && b.isContiguous()) {
    const out = allocArray(dtype, a.size);
    const ad = a.data;
    const bd = b.data;
    const oa = a.offset;
    const ob = b.offset;
    for (let i = 0; i < out.length; i++) out[i] = f(ad[oa + i]!, bd[ob + i]!);
    return new Tensor(out, a.shape);
  }
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = allocArray(dtype, shapeSize(shape));
  const ad = a.data;
  const bd = b.data;
  forEachBroadcast(
    shape,
    broadcastStrides(a, shape),
    a.offset,
    broadcastStrides(b, shape),
    b.offset,
    (o, i, j) => {
      out[o] = f(ad[i]!, bd[j]!);
    },
  );
  return new Tensor(out, shape);
}

function allocArrayFrom(dtype: DType, values: number[]): TypedArray {
  const out = allocArray(dtype, values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]!;
  return out;
}

function unary(op: string, x: Tensor, f: Fn1, floatOut: boolean): Tensor {
  if (!(x instanceof Tensor)) fail(op, `x must be a Tensor, received ${typeof x}`);
  const dtype: DType = floatOut && !isFloat(x.dtype) ? 'float32' : x.dtype;
  const out = allocArray(dtype, x.size);
  const xd = x.isContiguous() ? x.data : x.toTypedArray();
  const off = x.isContiguous() ? x.offset : 0;
  // relu and neg spelled out (see loopAB); same results as their `f`.
  if (op === 'relu' && xd instanceof Float32Array && out instanceof Float32Array)
    kernels.relu(xd, off, out, 0, out.length);
  else if (op === 'relu') {
    for (let i = 0; i < out.length; i++) {
      const v = xd[off + i]!;
      out[i] = v > 0 ? v : Number.isNaN(v) ? v : 0;
    }
  } else if (op === 'neg') for (let i = 0; i < out.length; i++) out[i] = -xd[off + i]!;
  else if ((op === 'tanh' || op === 'sigmoid') && xd instanceof Float32Array && out instanceof Float32Array)
    kernels[op](xd, off, out, 0, out.length);
  else if (op === 'tanh') for (let i = 0; i < out.length; i++) out[i] = Math.tanh(xd[off + i]!);
  else if (op === 'sigmoid') {
    // The closure's two branches as one expression: e = exp(-|v|) is exp(-v) for v ≥ 0, exp(v) else.
    for (let i = 0; i < out.length; i++) {
      const v = xd[off + i]!;
      const e = Math.exp(-Math.abs(v));
      out[i] = (v >= 0 ? 1 : e) / (1 + e);
    }
  } else for (let i = 0; i < out.length; i++) out[i] = f(xd[off + i]!);
  return new Tensor(out, x.shape);
}

const arith = promoteTypes;
const floatDiv = (a: DType, b: DType): DType => {
  const t = promoteTypes(a, b);
  return t === 'int32' ? 'float32' : t;
};
const boolOut = (): DType => 'int32';

export const add = (a: Operand, b: Operand): Tensor => binary('add', a, b, (x, y) => x + y, arith, 'add');
export const sub = (a: Operand, b: Operand): Tensor => binary('sub', a, b, (x, y) => x - y, arith, 'sub');
export const mul = (a: Operand, b: Operand): Tensor => binary('mul', a, b, (x, y) => x * y, arith, 'mul');
/** True division (int32 / int32 gives float32, like PyTorch). */
export const div = (a: Operand, b: Operand): Tensor => binary('div', a, b, (x, y) => x / y, floatDiv, 'div');
export const pow = (a: Operand, b: Operand): Tensor => binary('pow', a, b, Math.pow, arith);
export const maximum = (a: Operand, b: Operand): Tensor =>
  binary('maximum', a, b, (x, y) => (x > y || Number.isNaN(x) ? x : y), arith);
export const minimum = (a: Operand, b: Operand): Tensor =>
  binary('minimum', a, b, (x, y) => (x < y || Number.isNaN(x) ? x : y), arith);

// Comparisons return int32 0/1 masks (tsdl has no bool dtype).
export const eq = (a: Operand, b: Operand): Tensor => binary('eq', a, b, (x, y) => +(x === y), boolOut);
export const ne = (a: Operand, b: Operand): Tensor => binary('ne', a, b, (x, y) => +(x !== y), boolOut);
export const gt = (a: Operand, b: Operand): Tensor => binary('gt', a, b, (x, y) => +(x > y), boolOut, 'gt');
export const lt = (a: Operand, b: Operand): Tensor => binary('lt', a, b, (x, y) => +(x < y), boolOut, 'lt');
export const ge = (a: Operand, b: Operand): Tensor => binary('ge', a, b, (x, y) => +(x >= y), boolOut, 'ge');
export const le = (a: Operand, b: Operand): Tensor => binary('le', a, b, (x, y) => +(x <= y), boolOut, 'le');

export const neg = (x: Tensor): Tensor => unary('neg', x, (v) => -v, false);
export const abs = (x: Tensor): Tensor => unary('abs', x, Math.abs, false);
export const sign = (x: Tensor): Tensor => unary('sign', x, (v) => (v > 0 ? 1 : v < 0 ? -1 : v), false);
export const exp = (x: Tensor): Tensor => unary('exp', x, Math.exp, true);
export const log = (x: Tensor): Tensor => unary('log', x, Math.log, true);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x, Math.sqrt, true);
export const relu = (x: Tensor): Tensor => unary('relu', x, (v) => (v > 0 || Number.isNaN(v) ? v : 0), false);
export const tanh = (x: Tensor): Tensor => unary('tanh', x, Math.tanh, true);
/** Numerically stable logistic function. */
export const sigmoid = (x: Tensor): Tensor =>
  unary(
    'sigmoid',
    x,
    (v) => {
      if (v >= 0) return 1 / (1 + Math.exp(-v));
      const e = Math.exp(v);
      return e / (1 + e);
    },
    true,
  );
/**
 * Gradient of relu: dy where x > 0, else dy·0 (so ±0, and NaN where dy is ±Inf or NaN), exactly
 * `mul(dy, gt(x, 0))` in one pass with no mask tensor. dy and x must have the same shape.
 */
export function reluGrad(dy: Tensor, x: Tensor): Tensor {
  if (!(dy instanceof Tensor) || !(x instanceof Tensor))
    fail('reluGrad', `dy and x must be Tensors, received ${typeof dy} and ${typeof x}`);
  if (dy.ndim !== x.ndim || dy.shape.some((d, i) => d !== x.shape[i]))
    fail('reluGrad', `dy must have the shape of x ${fmtShape(x.shape)}, received ${fmtShape(dy.shape)}`);
  if (dy.dtype === 'int32' || x.dtype === 'int32') return mul(dy, gt(x, 0));
  const g = dy.contiguous();
  const xs = x.contiguous();
  const gd = g.data;
  const xd = xs.data;
  const out = allocArray(dy.dtype, dy.size);
  if (gd instanceof Float32Array && xd instanceof Float32Array && out instanceof Float32Array) {
    kernels.reluGrad(gd, g.offset, xd, xs.offset, out, out.length);
    return new Tensor(out, dy.shape);
  }
  // +(x > 0) keeps the loop branch-free: a data-dependent branch on random signs is several times slower.
  for (let i = 0, go = g.offset, xo = xs.offset; i < out.length; i++)
    out[i] = gd[go + i]! * +(xd[xo + i]! > 0);
  return new Tensor(out, dy.shape);
}

export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return unary('leakyRelu', x, (v) => (v >= 0 ? v : v * negativeSlope), true);
}

/** Clamps into [min, max]; either bound may be null/undefined. */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  if (min == null && max == null) fail('clamp', 'at least one of min and max must be given');
  if (min != null && max != null && min > max) fail('clamp', `min (${min}) must not exceed max (${max})`);
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  return unary('clamp', x, (v) => Math.min(Math.max(v, lo), hi), false);
}

/** Elementwise select: `cond` nonzero → a, else b; all three broadcast. */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  if (!(cond instanceof Tensor)) fail('where', `cond must be a Tensor, received ${typeof cond}`);
  checkOperand('where', 'a', a);
  checkOperand('where', 'b', b);
  const ta = typeof a === 'number' ? new Tensor(Float64Array.of(a), []) : a;
  const tb = typeof b === 'number' ? new Tensor(Float64Array.of(b), []) : b;
  const dtype =
    typeof a === 'number' && typeof b === 'number'
      ? 'float32'
      : typeof a === 'number'
        ? promoteScalar(tb.dtype, a)
        : typeof b === 'number'
          ? promoteScalar(ta.dtype, b)
          : promoteTypes(ta.dtype, tb.dtype);
  const shape = broadcastShapes('where', cond.shape, ta.shape, tb.shape);
  // Fill with a, then overwrite with b wherever cond is zero.
  const out = allocArray(dtype, shapeSize(shape));
  const ad = ta.data;
  const bd = tb.data;
  const cd = cond.data;
  const sa = broadcastStrides(ta, shape);
  forEachBroadcast(shape, sa, ta.offset, sa, ta.offset, (o, i) => {
    out[o] = ad[i]!;
  });
  forEachBroadcast(
    shape,
    broadcastStrides(cond, shape),
    cond.offset,
    broadcastStrides(tb, shape),
    tb.offset,
    (o, c, j) => {
      if (cd[c] === 0) out[o] = bd[j]!;
    },
  );
  return new Tensor(out, shape);
}
