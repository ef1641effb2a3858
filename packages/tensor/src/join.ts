import { allocArray, promoteTypes } from './dtype.js';
import { fail, fmtShape } from './errors.js';
import { normAxis } from './shape.js';
import { Tensor } from './tensor.js';
import { slice } from './slice.js';
import { unsqueeze } from './view.js';

/** Joins tensors along an existing axis; all other dims must match. dtypes promote. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) fail('concat', 'xs must be a non-empty array of Tensors');
  const first = xs[0]!;
  const a = normAxis('concat', axis, first.ndim);
  let dtype = first.dtype;
  let total = 0;
  xs.forEach((t, k) => {
    if (!(t instanceof Tensor)) fail('concat', `xs[${k}] is not a Tensor`);
    if (t.ndim !== first.ndim) fail('concat', `xs[${k}] has rank ${t.ndim} (shape ${fmtShape(t.shape)}), xs[0] has rank ${first.ndim}`);
    for (let d = 0; d < t.ndim; d++) {
      if (d !== a && t.shape[d] !== first.shape[d]) {
        fail('concat', `xs[${k}] has size ${t.shape[d]} in dim ${d}, expected ${first.shape[d]} (shapes ${fmtShape(first.shape)} and ${fmtShape(t.shape)})`);
      }
    }
    dtype = promoteTypes(dtype, t.dtype);
    total += t.shape[a]!;
  });
  const shape = [...first.shape];
  shape[a] = total;
  const outer = first.shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = first.shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const out = allocArray(dtype, outer * total * inner);
  let pos = 0;
  for (const t of xs) {
    const c = t.toTypedArray();
    const block = t.shape[a]! * inner;
    for (let o = 0; o < outer; o++) {
      const dst = o * total * inner + pos * inner;
      for (let i = 0; i < block; i++) out[dst + i] = c[o * block + i]!;
    }
    pos += t.shape[a]!;
  }
  return new Tensor(out, shape);
}

/** Joins equal-shaped tensors along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) fail('stack', 'xs must be a non-empty array of Tensors');
  const first = xs[0]!;
  xs.forEach((t, k) => {
    if (t.ndim !== first.ndim || t.shape.some((d, i) => d !== first.shape[i])) {
      fail('stack', `all tensors must have the same shape: xs[0] is ${fmtShape(first.shape)}, xs[${k}] is ${fmtShape(t.shape)}`);
    }
  });
  const a = normAxis('stack', axis, first.ndim + 1);
  return concat(
    xs.map((t) => unsqueeze(t, a)),
    a,
  );
}

/** Splits into chunks of `sizes` (a number = equal chunks of that size, last may be smaller) along axis; views. */
export function split(x: Tensor, sizes: number | readonly number[], axis = 0): Tensor[] {
  const a = normAxis('split', axis, x.ndim);
  const n = x.shape[a]!;
  let list: number[];
  if (typeof sizes === 'number') {
    if (!Number.isInteger(sizes) || sizes <= 0) fail('split', `size must be a positive integer, received ${sizes}`);
    list = [];
    for (let s = 0; s < n; s += sizes) list.push(Math.min(sizes, n - s));
  } else {
    list = [...sizes];
    const total = list.reduce((p, d) => p + d, 0);
    if (total !== n) fail('split', `sizes [${list.join(',')}] sum to ${total}, dim ${a} has ${n}`);
  }
  const out: Tensor[] = [];
  let start = 0;
  for (const s of list) {
    out.push(slice(x, a, start, start + s));
    start += s;
  }
  return out;
}
