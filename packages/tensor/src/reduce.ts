// Reductions (PyTorch semantics). Every reduction is brought to the form [outer, R, inner]:
// a contiguous input reduced over adjacent axes is read in place (tight loops, no copy);
// anything else is permuted so the reduced axes come last and gathered once (strided walk).
import { allocArray, type DType, type TypedArray } from './dtype.js';
import { fail, fmtShape } from './errors.js';
import { kernels } from './kernels.js';
import { normAxes, shapeSize } from './shape.js';
import { Tensor } from './tensor.js';
import { permute, reshape } from './view.js';

export type Axis = number | readonly number[];

/** The input laid out as [outer, R, inner] with R the reduced extent; `finish` shapes the outer×inner results. */
interface Plan {
  data: TypedArray;
  off: number;
  outer: number;
  R: number;
  inner: number;
  outShape: number[];
  finish: (values: TypedArray) => Tensor;
}

/**
 * `inStorageOrder`: a permuted view of contiguous storage (e.g. `x.T`) may be reduced in storage order,
 * the result being permuted back; not allowed where the element order matters (flattened argmax).
 */
function plan(op: string, x: Tensor, axis: Axis | undefined, keepdims: boolean, inStorageOrder = true): Plan {
  if (!(x instanceof Tensor)) fail(op, `x must be a Tensor, received ${x === null ? 'null' : typeof x}`);
  // A 0-d tensor has nothing to reduce: axis 0/-1 is accepted like PyTorch and ignored.
  const checked = normAxes(op, axis, Math.max(x.ndim, 1));
  const axes = x.ndim === 0 ? [] : checked;
  const red = new Set(axes);
  const outShape: number[] = [];
  for (let i = 0; i < x.ndim; i++) {
    if (!red.has(i)) outShape.push(x.shape[i]!);
    else if (keepdims) outShape.push(1);
  }
  const finish = (values: TypedArray): Tensor => new Tensor(values, outShape);
  if (inStorageOrder && !x.isContiguous()) {
    const order = [...x.shape.keys()].sort((a, b) => x.strides[b]! - x.strides[a]!);
    const y = permute(x, order);
    if (y.isContiguous()) {
      const inv = new Array<number>(order.length);
      for (let i = 0; i < order.length; i++) inv[order[i]!] = i;
      const p = plan(
        op,
        y,
        axes.map((a) => inv[a]!),
        true,
        false,
      );
      return {
        ...p,
        outShape,
        finish: (values) => {
          const t = permute(new Tensor(values, p.outShape), inv);
          return keepdims ? t.contiguous() : reshape(t, outShape).contiguous();
        },
      };
    }
  }
  const R = shapeSize(axes.map((a) => x.shape[a]!));
  const outSize = shapeSize(outShape);
  const adjacent = axes.length === 0 || axes[axes.length - 1]! - axes[0]! === axes.length - 1;
  if (x.isContiguous() && adjacent) {
    const first = axes.length === 0 ? x.ndim : axes[0]!;
    const last = axes.length === 0 ? x.ndim - 1 : axes[axes.length - 1]!;
    return {
      data: x.data,
      off: x.offset,
      outer: shapeSize(x.shape.slice(0, first)),
      R,
      inner: shapeSize(x.shape.slice(last + 1)),
      outShape,
      finish,
    };
  }
  // General strided path: gather once with the reduced axes last.
  const kept = [...x.shape.keys()].filter((i) => !red.has(i));
  return {
    data: permute(x, [...kept, ...axes]).toTypedArray(),
    off: 0,
    outer: outSize,
    R,
    inner: 1,
    outShape,
    finish,
  };
}

function floatOf(d: DType): DType {
  return d === 'int32' ? 'float32' : d;
}

/** Σ over R into a float64 buffer (one entry per output element). */
function sums(p: Plan): Float64Array {
  const { data, off, outer, R, inner } = p;
  const acc = new Float64Array(outer * inner);
  if (inner === 1) {
    for (let o = 0, base = off; o < outer; o++, base += R) {
      let s = 0;
      for (let r = 0; r < R; r++) s += data[base + r]!;
      acc[o] = s;
    }
    return acc;
  }
  if (data instanceof Float32Array) {
    for (let o = 0; o < outer; o++)
      kernels.colSumsF32(data, off + o * R * inner, R, inner, acc.subarray(o * inner, (o + 1) * inner));
    return acc;
  }
  for (let o = 0; o < outer; o++) {
    const ao = o * inner;
    for (let r = 0, base = off + o * R * inner; r < R; r++, base += inner) {
      for (let i = 0; i < inner; i++) acc[ao + i]! += data[base + i]!;
    }
  }
  return acc;
}

function toDType(dtype: DType, values: Float64Array): TypedArray {
  if (dtype === 'float64') return values;
  const out = allocArray(dtype, values.length);
  out.set(values);
  return out;
}

/**
 * Σ of a contiguous x over non-adjacent axes (e.g. a conv bias gradient, [0, 2, 3] of NCHW) read
 * in storage order, with no gathered copy; null when `plan` handles the case without a copy
 * anyway. Each output's terms are added in the same order as the gathered path (row-major over
 * the reduced axes, ascending), so the float64 sums are bit-identical to it.
 */
function sumsInPlace(
  op: string,
  x: Tensor,
  axis: Axis | undefined,
  keepdims: boolean,
): { acc: Float64Array; R: number; shape: number[] } | null {
  if (!(x instanceof Tensor) || x.ndim < 3 || !x.isContiguous()) return null;
  const axes = normAxes(op, axis, x.ndim);
  if (axes.length === 0 || axes[axes.length - 1]! - axes[0]! === axes.length - 1) return null;
  // Merge neighbouring dims of the same kind into groups [size, reduced].
  const sizes: number[] = [];
  const red: boolean[] = [];
  const shape: number[] = [];
  for (let d = 0; d < x.ndim; d++) {
    const r = axes.includes(d);
    if (!r || keepdims) shape.push(r ? 1 : x.shape[d]!);
    if (red.length > 0 && red[red.length - 1] === r) sizes[sizes.length - 1]! *= x.shape[d]!;
    else {
      sizes.push(x.shape[d]!);
      red.push(r);
    }
  }
  const m = sizes.length;
  const ostride = new Array<number>(m).fill(0);
  for (let g = m - 1, s = 1; g >= 0; g--)
    if (!red[g]) {
      ostride[g] = s;
      s *= sizes[g]!;
    }
  const acc = new Float64Array(shapeSize(shape));
  const R = shapeSize(axes.map((a) => x.shape[a]!));
  if (x.size === 0) return { acc, R, shape };
  const data = x.data;
  if (m === 3 && red[0] && !red[1] && red[2] && data instanceof Float32Array) {
    // [reduced, kept, reduced] (a conv bias gradient): each output's terms in the same order as below
    kernels.channelSums(data.subarray(x.offset, x.offset + x.size), sizes[0]!, sizes[1]!, sizes[2]!, acc);
    return { acc, R, shape };
  }
  const S = sizes[m - 1]!;
  const lastRed = red[m - 1]!;
  const idx = new Array<number>(m - 1).fill(0);
  let p = x.offset;
  let ob = 0;
  for (;;) {
    if (lastRed) {
      let s = acc[ob]!;
      for (let i = 0; i < S; i++) s += data[p + i]!;
      acc[ob] = s;
    } else for (let i = 0; i < S; i++) acc[ob + i]! += data[p + i]!;
    p += S;
    let g = m - 2;
    for (; g >= 0; g--) {
      ob += ostride[g]!;
      if (++idx[g]! < sizes[g]!) break;
      ob -= ostride[g]! * sizes[g]!;
      idx[g] = 0;
    }
    if (g < 0) break;
  }
  return { acc, R, shape };
}

/** Sum over `axis` (all axes when undefined; [] reduces nothing). int32 stays int32. */
export function sum(x: Tensor, axis?: Axis, keepdims = false): Tensor {
  const direct = sumsInPlace('sum', x, axis, keepdims);
  if (direct) return new Tensor(toDType(x.dtype, direct.acc), direct.shape);
  const p = plan('sum', x, axis, keepdims);
  return p.finish(toDType(x.dtype, sums(p)));
}

/** Mean over `axis`; int32 input gives float32. An empty reduction gives NaN. */
export function mean(x: Tensor, axis?: Axis, keepdims = false): Tensor {
  const direct = sumsInPlace('mean', x, axis, keepdims);
  if (direct) {
    const s = direct.acc;
    for (let i = 0; i < s.length; i++) s[i] = s[i]! / direct.R;
    return new Tensor(toDType(floatOf(x.dtype), s), direct.shape);
  }
  const p = plan('mean', x, axis, keepdims);
  const s = sums(p);
  for (let i = 0; i < s.length; i++) s[i] = s[i]! / p.R;
  return p.finish(toDType(floatOf(x.dtype), s));
}

/** max (sign 1) or min (sign -1) values and their first indices; NaN wins and propagates like PyTorch. */
function extreme(
  op: string,
  p: Plan,
  sign: 1 | -1,
  dtype: DType,
  wantIndex: boolean,
): { values: TypedArray; index: Int32Array } {
  const { data, off, outer, R, inner } = p;
  const n = outer * inner;
  if (R === 0 && n > 0)
    fail(
      op,
      `cannot reduce over an empty dimension (reduced size is 0, output shape ${fmtShape(p.outShape)})`,
    );
  const values = allocArray(dtype, n);
  const index = new Int32Array(wantIndex ? n : 0);
  for (let o = 0; o < outer; o++) {
    const base0 = off + o * R * inner;
    for (let i = 0; i < inner; i++) {
      let pos = base0 + i;
      let m = data[pos]!;
      let k = 0;
      if (!Number.isNaN(m)) {
        for (let r = 1; r < R; r++) {
          pos += inner;
          const v = data[pos]!;
          if (Number.isNaN(v)) {
            m = v;
            k = r;
            break;
          }
          if (sign * v > sign * m) {
            m = v;
            k = r;
          }
        }
      }
      values[o * inner + i] = m;
      if (wantIndex) index[o * inner + i] = k;
    }
  }
  return { values, index };
}

export function max(x: Tensor, axis?: Axis, keepdims = false): Tensor {
  const p = plan('max', x, axis, keepdims);
  return p.finish(extreme('max', p, 1, x.dtype, false).values);
}

export function min(x: Tensor, axis?: Axis, keepdims = false): Tensor {
  const p = plan('min', x, axis, keepdims);
  return p.finish(extreme('min', p, -1, x.dtype, false).values);
}

function argExtreme(
  op: string,
  x: Tensor,
  axis: number | undefined,
  keepdims: boolean,
  sign: 1 | -1,
): Tensor {
  if (axis !== undefined && typeof axis !== 'number')
    fail(op, `axis must be a single number or undefined, received ${String(axis)}`);
  // No axis: index into the flattened tensor (keepdims gives all-ones shape, like PyTorch).
  const p = plan(op, x, axis, keepdims, axis !== undefined);
  return p.finish(extreme(op, p, sign, x.dtype, true).index);
}

/** Index of the first maximum along `axis` (over the flattened tensor when undefined); int32. */
export function argmax(x: Tensor, axis?: number, keepdims = false): Tensor {
  return argExtreme('argmax', x, axis, keepdims, 1);
}

/** Index of the first minimum along `axis` (over the flattened tensor when undefined); int32. */
export function argmin(x: Tensor, axis?: number, keepdims = false): Tensor {
  return argExtreme('argmin', x, axis, keepdims, -1);
}

/** Two-pass variance in float64; divisor max(0, N - correction) like PyTorch. */
function variances(
  op: string,
  x: Tensor,
  axis: Axis | undefined,
  keepdims: boolean,
  correction: number,
): { v: Float64Array; p: Plan } {
  if (typeof correction !== 'number' || !(correction >= 0))
    fail(op, `correction must be a non-negative number, received ${correction}`);
  const p = plan(op, x, axis, keepdims);
  const { data, off, outer, R, inner } = p;
  const m = sums(p);
  for (let i = 0; i < m.length; i++) m[i] = m[i]! / R;
  const ss = new Float64Array(m.length);
  for (let o = 0; o < outer; o++) {
    for (let r = 0, base = off + o * R * inner; r < R; r++, base += inner) {
      for (let i = 0; i < inner; i++) {
        const d = data[base + i]! - m[o * inner + i]!;
        ss[o * inner + i]! += d * d;
      }
    }
  }
  const div = Math.max(0, R - correction);
  for (let i = 0; i < ss.length; i++) ss[i] = ss[i]! / div;
  return { v: ss, p };
}

/** Variance with Bessel's correction by default (correction=1, like PyTorch). Exported as `var`. */
export function var_(x: Tensor, axis?: Axis, keepdims = false, correction = 1): Tensor {
  const { v, p } = variances('var', x, axis, keepdims, correction);
  return p.finish(toDType(floatOf(x.dtype), v));
}

/** Standard deviation: sqrt of `var_` with the same arguments. */
export function std(x: Tensor, axis?: Axis, keepdims = false, correction = 1): Tensor {
  const { v, p } = variances('std', x, axis, keepdims, correction);
  for (let i = 0; i < v.length; i++) v[i] = Math.sqrt(v[i]!);
  return p.finish(toDType(floatOf(x.dtype), v));
}
