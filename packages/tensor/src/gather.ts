// Index-based selection and its adjoints (indexAdd is indexSelect's backward, scatterAdd is gather's).
import { allocArray } from './dtype.js';
import { fail, fmtShape } from './errors.js';
import { normAxis, shapeSize } from './shape.js';
import { Tensor } from './tensor.js';

function checkTensor(op: string, arg: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) fail(op, `${arg} must be a Tensor, received ${t === null ? 'null' : typeof t}`);
}

/** Validated indices (negative ones wrapped) and their shape. */
function indexList(
  op: string,
  arg: string,
  indices: Tensor | readonly number[],
  n: number,
  axis: number,
): { idx: Int32Array; shape: readonly number[] } {
  let raw: ArrayLike<number>;
  let shape: readonly number[];
  if (indices instanceof Tensor) {
    raw = indices.toTypedArray();
    shape = indices.shape;
  } else if (Array.isArray(indices)) {
    raw = indices;
    shape = [indices.length];
  } else {
    return fail(
      op,
      `${arg} must be a Tensor or an array of integers, received ${indices === null ? 'null' : typeof indices}`,
    );
  }
  const idx = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i]!;
    if (!Number.isInteger(v)) fail(op, `${arg} must hold integers, received ${v}`);
    if (v < -n || v >= n)
      fail(op, `${arg} value ${v} is out of range for axis ${axis} of size ${n} (valid: ${-n}..${n - 1})`);
    idx[i] = v < 0 ? v + n : v;
  }
  return { idx, shape };
}

function rowMajor(x: Tensor): ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> } {
  return x.isContiguous() ? x.data.subarray(x.offset, x.offset + x.size) : x.toTypedArray();
}

/**
 * Picks whole slices along `axis` (ONNX Gather, torch.index_select); negative indices count from the end.
 * Output shape: x.shape[:axis] + indices.shape + x.shape[axis+1:].
 */
export function indexSelect(x: Tensor, axis: number, indices: Tensor | readonly number[]): Tensor {
  checkTensor('indexSelect', 'x', x);
  if (x.ndim === 0) fail('indexSelect', 'x must have at least one dim, received a 0-d tensor');
  const a = normAxis('indexSelect', axis, x.ndim);
  const D = x.shape[a]!;
  const { idx, shape: ishape } = indexList('indexSelect', 'indices', indices, D, a);
  const outer = shapeSize(x.shape.slice(0, a));
  const inner = shapeSize(x.shape.slice(a + 1));
  const K = idx.length;
  const outShape = [...x.shape.slice(0, a), ...ishape, ...x.shape.slice(a + 1)];
  const out = allocArray(x.dtype, outer * K * inner);
  const src = rowMajor(x);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < K; k++) {
      const from = (o * D + idx[k]!) * inner;
      const to = (o * K + k) * inner;
      if (inner === 1) out[to] = src[from]!;
      else out.set(src.subarray(from, from + inner) as never, to);
    }
  }
  return new Tensor(out, outShape);
}

/**
 * Returns a copy of x with `source` slices added at `indices` along axis (repeats accumulate); backward of
 * indexSelect. `source` has shape x.shape[:axis] + indices.shape + x.shape[axis+1:] (indices may also be flattened).
 */
export function indexAdd(
  x: Tensor,
  axis: number,
  indices: Tensor | readonly number[],
  source: Tensor,
): Tensor {
  checkTensor('indexAdd', 'x', x);
  checkTensor('indexAdd', 'source', source);
  if (x.ndim === 0) fail('indexAdd', 'x must have at least one dim, received a 0-d tensor');
  const a = normAxis('indexAdd', axis, x.ndim);
  const D = x.shape[a]!;
  const { idx, shape: ishape } = indexList('indexAdd', 'indices', indices, D, a);
  const K = idx.length;
  const pre = x.shape.slice(0, a);
  const post = x.shape.slice(a + 1);
  const want = [...pre, ...ishape, ...post];
  const flatWant = [...pre, K, ...post];
  const same = (s: readonly number[]): boolean =>
    s.length === source.ndim && s.every((d, i) => d === source.shape[i]);
  if (!same(want) && !same(flatWant)) {
    fail(
      'indexAdd',
      `source must have shape ${fmtShape(want)} (x ${fmtShape(x.shape)}, axis ${a}, indices ${fmtShape(ishape)}), received ${fmtShape(source.shape)}`,
    );
  }
  const out = x.toTypedArray();
  const src = rowMajor(source);
  const outer = shapeSize(pre);
  const inner = shapeSize(post);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < K; k++) {
      const to = (o * D + idx[k]!) * inner;
      const from = (o * K + k) * inner;
      for (let i = 0; i < inner; i++) out[to + i]! += src[from + i]!;
    }
  }
  return new Tensor(out, x.shape);
}

/** Checks gather/scatterAdd's index against x (and src) shapes; returns the normalised axis and flat indices. */
function checkElementIndex(
  op: string,
  x: Tensor,
  axis: number,
  index: Tensor,
  src?: Tensor,
): { a: number; idx: Int32Array } {
  checkTensor(op, 'x', x);
  checkTensor(op, 'index', index);
  const nd = Math.max(x.ndim, 1);
  const a = normAxis(op, axis, nd);
  if (index.ndim !== x.ndim)
    fail(
      op,
      `index must have the same rank as x: x is ${fmtShape(x.shape)}, index is ${fmtShape(index.shape)}`,
    );
  for (let d = 0; d < x.ndim; d++) {
    if (d !== a && index.shape[d]! > x.shape[d]!) {
      fail(op, `index ${fmtShape(index.shape)} is larger than x ${fmtShape(x.shape)} at dim ${d}`);
    }
    if (src && index.shape[d]! > src.shape[d]!) {
      fail(op, `index ${fmtShape(index.shape)} is larger than src ${fmtShape(src.shape)} at dim ${d}`);
    }
  }
  const D = x.ndim === 0 ? 1 : x.shape[a]!;
  return { a, idx: indexList(op, 'index', index, D, a).idx };
}

/**
 * Visits every element of `ishape` in row-major order with the storage position in a tensor of
 * strides `xs` (axis `a` contribution left out) and in one of strides `ss`.
 */
function walk(
  ishape: readonly number[],
  xs: readonly number[],
  xo: number,
  ss: readonly number[],
  so: number,
  body: (i: number, px: number, ps: number) => void,
): void {
  const nd = ishape.length;
  const n = shapeSize(ishape);
  const idx = new Array<number>(nd).fill(0);
  let px = xo;
  let ps = so;
  for (let i = 0; i < n; i++) {
    body(i, px, ps);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      px += xs[d]!;
      ps += ss[d]!;
      if (idx[d]! < ishape[d]!) break;
      px -= xs[d]! * ishape[d]!;
      ps -= ss[d]! * ishape[d]!;
      idx[d] = 0;
    }
  }
}

/** PyTorch gather: out[i][j] = x[index[i][j]][j] for axis 0, etc. Output has index's shape. Negative indices wrap. */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  const { a, idx } = checkElementIndex('gather', x, axis, index);
  const out = allocArray(x.dtype, index.size);
  const xs = x.strides.map((s, d) => (d === a ? 0 : s));
  const sa = x.ndim === 0 ? 0 : x.strides[a]!;
  const xd = x.data;
  walk(index.shape, xs, x.offset, xs, 0, (i, px) => {
    out[i] = xd[px + idx[i]! * sa]!;
  });
  return new Tensor(out, index.shape);
}

/** Returns a copy of x with src scattered-added at index along axis (PyTorch scatter_add); backward of gather. */
export function scatterAdd(x: Tensor, axis: number, index: Tensor, src: Tensor): Tensor {
  checkTensor('scatterAdd', 'src', src);
  if (src.ndim !== x.ndim)
    fail(
      'scatterAdd',
      `src must have the same rank as x: x is ${fmtShape(x.shape)}, src is ${fmtShape(src.shape)}`,
    );
  const { a, idx } = checkElementIndex('scatterAdd', x, axis, index, src);
  const out = x.toTypedArray();
  const os = x.ndim === 0 ? [] : x.shape.map((_, d) => shapeSize(x.shape.slice(d + 1)));
  const sa = x.ndim === 0 ? 0 : os[a]!;
  const xs = os.map((s, d) => (d === a ? 0 : s));
  const sd = src.data;
  walk(index.shape, xs, 0, src.strides, src.offset, (i, px, ps) => {
    out[px + idx[i]! * sa]! += sd[ps]!;
  });
  return new Tensor(out, x.shape);
}
