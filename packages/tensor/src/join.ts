import { allocArray, type DType, promoteTypes } from './dtype.js';
import { fail, fmtShape } from './errors.js';
import { normAxis, shapeSize } from './shape.js';
import { slice } from './slice.js';
import { Tensor } from './tensor.js';
import { unsqueeze } from './view.js';

function checkList(op: string, xs: readonly Tensor[]): void {
  if (!Array.isArray(xs) || xs.length === 0) fail(op, 'xs must be a non-empty array of tensors');
  xs.forEach((t, i) => {
    if (!(t instanceof Tensor))
      fail(op, `xs[${i}] must be a Tensor, received ${t === null ? 'null' : typeof t}`);
  });
}

/** Joins tensors along an existing axis; dtypes are promoted (int32 < float32 < float64). */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  checkList('concat', xs);
  const first = xs[0]!;
  if (first.ndim === 0) fail('concat', 'cannot concatenate 0-d tensors (use stack)');
  const nd = first.ndim;
  const a = normAxis('concat', axis, nd);
  let dtype: DType = first.dtype;
  let total = 0;
  xs.forEach((t, i) => {
    if (t.ndim !== nd)
      fail(
        'concat',
        `xs[${i}] has rank ${t.ndim} (shape ${fmtShape(t.shape)}) but xs[0] has rank ${nd} (shape ${fmtShape(first.shape)})`,
      );
    for (let d = 0; d < nd; d++) {
      if (d !== a && t.shape[d] !== first.shape[d]) {
        fail(
          'concat',
          `xs[${i}] has shape ${fmtShape(t.shape)} but xs[0] has ${fmtShape(first.shape)}: dim ${d} differs (${t.shape[d]} vs ${first.shape[d]}) and only axis ${a} may differ`,
        );
      }
    }
    dtype = promoteTypes(dtype, t.dtype);
    total += t.shape[a]!;
  });
  const outShape = [...first.shape];
  outShape[a] = total;
  const out = allocArray(dtype, shapeSize(outShape));
  const outer = shapeSize(first.shape.slice(0, a));
  const inner = shapeSize(first.shape.slice(a + 1));
  const rowOut = total * inner;
  // Each input contributes one contiguous chunk per outer index; TypedArray.set converts dtypes.
  let at = 0;
  for (const t of xs) {
    const chunk = t.shape[a]! * inner;
    const src = t.isContiguous() ? t.data.subarray(t.offset, t.offset + t.size) : t.toTypedArray();
    for (let o = 0; o < outer; o++)
      out.set(src.subarray(o * chunk, (o + 1) * chunk) as never, o * rowOut + at);
    at += chunk;
  }
  return new Tensor(out, outShape);
}

/** Joins same-shape tensors along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  checkList('stack', xs);
  const first = xs[0]!;
  const a = normAxis('stack', axis, first.ndim + 1);
  xs.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((d, k) => d !== first.shape[k])) {
      fail(
        'stack',
        `all tensors must have the same shape: xs[${i}] has ${fmtShape(t.shape)} but xs[0] has ${fmtShape(first.shape)}`,
      );
    }
  });
  return concat(
    xs.map((t) => unsqueeze(t, a)),
    a,
  );
}

/** Splits into chunks of `sizes` (a number = equal chunks of that size, last may be smaller) along axis. Views. */
export function split(x: Tensor, sizes: number | readonly number[], axis = 0): Tensor[] {
  if (!(x instanceof Tensor)) fail('split', `x must be a Tensor, received ${x === null ? 'null' : typeof x}`);
  if (x.ndim === 0) fail('split', 'cannot split a 0-d tensor');
  const a = normAxis('split', axis, x.ndim);
  const n = x.shape[a]!;
  let parts: number[];
  if (typeof sizes === 'number') {
    if (!Number.isInteger(sizes) || sizes <= 0)
      fail('split', `sizes must be a positive integer, received ${sizes}`);
    parts = [];
    for (let s = 0; s < n; s += sizes) parts.push(Math.min(sizes, n - s));
    if (parts.length === 0) parts.push(0);
  } else {
    parts = [...sizes];
    if (!parts.every((s) => Number.isInteger(s) && s >= 0))
      fail('split', `sizes must be non-negative integers, received [${parts.join(',')}]`);
    const s = parts.reduce((p, q) => p + q, 0);
    if (s !== n)
      fail(
        'split',
        `sizes [${parts.join(',')}] sum to ${s} but dim ${a} of shape ${fmtShape(x.shape)} has size ${n}`,
      );
  }
  const out: Tensor[] = [];
  let at = 0;
  for (const p of parts) {
    out.push(slice(x, a, at, at + p));
    at += p;
  }
  return out;
}
