import { allocArray } from './dtype.js';
import { fail, fmtShape } from './errors.js';
import { contiguousStrides, shapeSize } from './shape.js';
import { slice } from './slice.js';
import { Tensor } from './tensor.js';

/**
 * Constant padding, PyTorch F.pad order: [lastLeft, lastRight, prevLeft, prevRight, ...].
 * Negative pads crop. The result is a new contiguous tensor of x's dtype.
 */
export function pad(x: Tensor, pads: readonly number[], value = 0): Tensor {
  if (!(x instanceof Tensor)) fail('pad', `x must be a Tensor, received ${x === null ? 'null' : typeof x}`);
  if (!Array.isArray(pads) || pads.length % 2 !== 0 || pads.length > 2 * x.ndim) {
    fail(
      'pad',
      `pads must hold an even number of integers, at most 2 per dim (${2 * x.ndim} for shape ${fmtShape(x.shape)}), received [${String(pads)}]`,
    );
  }
  if (!pads.every(Number.isInteger)) fail('pad', `pads must be integers, received [${pads.join(',')}]`);
  const nd = x.ndim;
  const left = new Array<number>(nd).fill(0);
  const right = new Array<number>(nd).fill(0);
  for (let k = 0; k < pads.length / 2; k++) {
    left[nd - 1 - k] = pads[2 * k]!;
    right[nd - 1 - k] = pads[2 * k + 1]!;
  }
  const outShape = x.shape.map((d, i) => d + left[i]! + right[i]!);
  const bad = outShape.findIndex((d) => d < 0);
  if (bad >= 0) {
    fail(
      'pad',
      `pads [${pads.join(',')}] give a negative size ${outShape[bad]} for dim ${bad} of shape ${fmtShape(x.shape)}`,
    );
  }
  // Crop first (negative pads), then copy the remaining block into place.
  let src = x;
  for (let d = 0; d < nd; d++) {
    if (left[d]! < 0 || right[d]! < 0) {
      const lo = Math.max(0, -left[d]!);
      const hi = Math.max(lo, x.shape[d]! - Math.max(0, -right[d]!));
      src = slice(src, d, lo, hi);
    }
  }
  const out = allocArray(x.dtype, shapeSize(outShape));
  if (value !== 0) out.fill(value);
  if (src.size === 0) return new Tensor(out, outShape);
  // contiguous source: read it in place (toTypedArray would copy it first)
  const flat = src.isContiguous() ? src.data.subarray(src.offset, src.offset + src.size) : src.toTypedArray();
  const os = contiguousStrides(outShape);
  let base = 0;
  for (let d = 0; d < nd; d++) base += Math.max(0, left[d]!) * os[d]!;
  if (nd === 0) {
    out[0] = flat[0]!;
    return new Tensor(out, outShape);
  }
  // Walk the outer dims of the source block; each innermost row is one contiguous copy.
  const inner = src.shape[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let pos = base;
  for (let i = 0; i < flat.length; i += inner) {
    out.set(flat.subarray(i, i + inner) as never, pos);
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      pos += os[d]!;
      if (idx[d]! < src.shape[d]!) break;
      pos -= os[d]! * src.shape[d]!;
      idx[d] = 0;
    }
  }
  return new Tensor(out, outShape);
}
