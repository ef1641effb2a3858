import { allocArray, type DType, dtypeOfArray, type TypedArray } from './dtype.js';
// Methods delegate to the op functions; these imports are circular but only used at call time.
import * as E from './elementwise.js';
import * as ERF from './erf.js';
import { fail, fmtShape } from './errors.js';
import * as G from './gather.js';
import * as J from './join.js';
import * as M from './matmul.js';
import * as P from './pad.js';
import * as R from './reduce.js';
import { contiguousStrides, shapeSize } from './shape.js';
import * as SL from './slice.js';
import * as SM from './softmax.js';
import * as V from './view.js';

export type NestedArray = number | NestedArray[];
type Operand = Tensor | number;

/**
 * An n-d array: `data` is the backing storage, read through `shape`, `strides` and `offset`
 * (views from transpose/expand/slice share storage). `contiguous()` gives a row-major copy when needed.
 */
export class Tensor {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: DType;
  readonly size: number;

  constructor(data: TypedArray, shape: readonly number[], strides?: readonly number[], offset = 0) {
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze(strides ? [...strides] : contiguousStrides(shape));
    this.offset = offset;
    this.dtype = dtypeOfArray(data);
    this.size = shapeSize(shape);
    if (!strides && offset === 0 && data.length !== this.size) {
      fail('Tensor', `data has ${data.length} elements but shape ${fmtShape(shape)} needs ${this.size}`);
    }
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** True when elements are laid out row-major from `offset` with no gaps. */
  isContiguous(): boolean {
    let acc = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      const d = this.shape[i]!;
      if (d !== 1 && this.strides[i] !== acc) return false;
      acc *= d;
    }
    return true;
  }

  /** A row-major tensor whose `data` holds exactly its elements (this tensor when already so). */
  contiguous(): Tensor {
    if (this.isContiguous() && this.offset === 0 && this.data.length === this.size) return this;
    return new Tensor(this.toTypedArray(), this.shape);
  }

  /** The elements in row-major order, as a fresh typed array. */
  toTypedArray(): TypedArray {
    const out = allocArray(this.dtype, this.size);
    if (this.isContiguous()) {
      out.set(this.data.subarray(this.offset, this.offset + this.size) as never);
      return out;
    }
    // Strided walk: a tight loop along the last dim, an odometer over the others.
    const { data, shape, strides } = this;
    const nd = this.ndim;
    const inner = shape[nd - 1]!;
    const is = strides[nd - 1]!;
    const idx = new Array<number>(nd).fill(0);
    let src = this.offset;
    // rows of 32+ contiguous elements as block copies (V8's element loop costs ~4 ns per element)
    const block = is === 1 && inner >= 32;
    for (let o = 0; o < out.length; o += inner) {
      if (block) out.set(data.subarray(src, src + inner) as never, o);
      else if (is === 1) for (let j = 0; j < inner; j++) out[o + j] = data[src + j]!;
      else for (let j = 0, p = src; j < inner; j++, p += is) out[o + j] = data[p]!;
      for (let d = nd - 2; d >= 0; d--) {
        idx[d]!++;
        src += strides[d]!;
        if (idx[d]! < shape[d]!) break;
        src -= strides[d]! * shape[d]!;
        idx[d] = 0;
      }
    }
    return out;
  }

  /** Nested JS arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    const flat = this.toTypedArray();
    if (this.ndim === 0) return flat[0]!;
    let pos = 0;
    const build = (d: number): NestedArray[] => {
      const n = this.shape[d]!;
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = d === this.ndim - 1 ? flat[pos++]! : build(d + 1);
      return out;
    };
    return build(0);
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1)
      fail('item', `tensor must have exactly one element, received shape ${fmtShape(this.shape)}`);
    return this.data[this.offset]!;
  }

  /** Element at a multi-index (negative indices count from the end). */
  get(...index: number[]): number {
    if (index.length !== this.ndim) fail('get', `expected ${this.ndim} indices, received ${index.length}`);
    let p = this.offset;
    for (let d = 0; d < index.length; d++) {
      let i = index[d]!;
      const n = this.shape[d]!;
      if (i < 0) i += n;
      if (i < 0 || i >= n) fail('get', `index ${index[d]} is out of range for dim ${d} of size ${n}`);
      p += i * this.strides[d]!;
    }
    return this.data[p]!;
  }

  /** A copy converted to `dtype` (float → int32 truncates toward zero, like PyTorch). */
  to(dtype: DType): Tensor {
    const out = allocArray(dtype, this.size);
    const src = this.toTypedArray();
    if (dtype === 'int32') for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]!);
    else out.set(src as never);
    return new Tensor(out, this.shape);
  }

  clone(): Tensor {
    return new Tensor(this.toTypedArray(), this.shape);
  }

  toString(): string {
    return `Tensor(${this.dtype}, ${fmtShape(this.shape)}) ${JSON.stringify(this.toArray())}`;
  }

  // ---- methods mirroring the functions (PyTorch names) ----
  add(o: Operand): Tensor {
    return E.add(this, o);
  }
  sub(o: Operand): Tensor {
    return E.sub(this, o);
  }
  mul(o: Operand): Tensor {
    return E.mul(this, o);
  }
  div(o: Operand): Tensor {
    return E.div(this, o);
  }
  pow(o: Operand): Tensor {
    return E.pow(this, o);
  }
  neg(): Tensor {
    return E.neg(this);
  }
  abs(): Tensor {
    return E.abs(this);
  }
  exp(): Tensor {
    return E.exp(this);
  }
  log(): Tensor {
    return E.log(this);
  }
  sqrt(): Tensor {
    return E.sqrt(this);
  }
  clamp(min?: number | null, max?: number | null): Tensor {
    return E.clamp(this, min, max);
  }
  maximum(o: Operand): Tensor {
    return E.maximum(this, o);
  }
  minimum(o: Operand): Tensor {
    return E.minimum(this, o);
  }
  relu(): Tensor {
    return E.relu(this);
  }
  sigmoid(): Tensor {
    return E.sigmoid(this);
  }
  tanh(): Tensor {
    return E.tanh(this);
  }
  erf(): Tensor {
    return ERF.erf(this);
  }
  erfc(): Tensor {
    return ERF.erfc(this);
  }
  eq(o: Operand): Tensor {
    return E.eq(this, o);
  }
  ne(o: Operand): Tensor {
    return E.ne(this, o);
  }
  gt(o: Operand): Tensor {
    return E.gt(this, o);
  }
  lt(o: Operand): Tensor {
    return E.lt(this, o);
  }
  ge(o: Operand): Tensor {
    return E.ge(this, o);
  }
  le(o: Operand): Tensor {
    return E.le(this, o);
  }

  sum(axis?: number | number[], keepdims = false): Tensor {
    return R.sum(this, axis, keepdims);
  }
  mean(axis?: number | number[], keepdims = false): Tensor {
    return R.mean(this, axis, keepdims);
  }
  max(axis?: number | number[], keepdims = false): Tensor {
    return R.max(this, axis, keepdims);
  }
  min(axis?: number | number[], keepdims = false): Tensor {
    return R.min(this, axis, keepdims);
  }
  argmax(axis?: number, keepdims = false): Tensor {
    return R.argmax(this, axis, keepdims);
  }
  argmin(axis?: number, keepdims = false): Tensor {
    return R.argmin(this, axis, keepdims);
  }
  var(axis?: number | number[], keepdims = false, correction = 1): Tensor {
    return R.var_(this, axis, keepdims, correction);
  }
  std(axis?: number | number[], keepdims = false, correction = 1): Tensor {
    return R.std(this, axis, keepdims, correction);
  }

  reshape(shape: readonly number[]): Tensor {
    return V.reshape(this, shape);
  }
  view(shape: readonly number[]): Tensor {
    return V.reshape(this, shape);
  }
  transpose(dim0: number, dim1: number): Tensor {
    return V.transpose(this, dim0, dim1);
  }
  permute(dims: readonly number[]): Tensor {
    return V.permute(this, dims);
  }
  flatten(startDim = 0, endDim = -1): Tensor {
    return V.flatten(this, startDim, endDim);
  }
  squeeze(axis?: number | number[]): Tensor {
    return V.squeeze(this, axis);
  }
  unsqueeze(axis: number): Tensor {
    return V.unsqueeze(this, axis);
  }
  expand(shape: readonly number[]): Tensor {
    return V.expand(this, shape);
  }
  get T(): Tensor {
    return V.permute(this, [...this.shape.keys()].reverse());
  }
  slice(axis: number, start: number, end?: number, step = 1): Tensor {
    return SL.slice(this, axis, start, end, step);
  }
  pad(pads: readonly number[], value = 0): Tensor {
    return P.pad(this, pads, value);
  }
  indexSelect(axis: number, indices: Tensor | readonly number[]): Tensor {
    return G.indexSelect(this, axis, indices);
  }
  gather(axis: number, index: Tensor): Tensor {
    return G.gather(this, axis, index);
  }
  concat(others: Tensor[], axis = 0): Tensor {
    return J.concat([this, ...others], axis);
  }

  matmul(o: Tensor): Tensor {
    return M.matmul(this, o);
  }
  softmax(axis = -1): Tensor {
    return SM.softmax(this, axis);
  }
  logSoftmax(axis = -1): Tensor {
    return SM.logSoftmax(this, axis);
  }
}
