import { allocArray } from './dtype.js';
import { fail } from './errors.js';
import { forEachBroadcast } from './elementwise.js';
import { Tensor } from './tensor.js';

/** Constant padding, PyTorch F.pad order: [lastLeft, lastRight, prevLeft, prevRight, ...]; negative pads crop. */
export function pad(x: Tensor, pads: readonly number[], value = 0): Tensor {
  if (pads.length % 2 !== 0 || pads.length / 2 > x.ndim) {
    fail('pad', `pads must hold pairs for at most ${x.ndim} dims, received ${pads.length} values`);
  }
  if (!pads.every(Number.isInteger)) fail('pad', `pads must be integers, received [${pads.join(',')}]`);
  const before = new Array<number>(x.ndim).fill(0);
  const after = new Array<number>(x.ndim).fill(0);
  for (let k = 0; k < pads.length / 2; k++) {
    const d = x.ndim - 1 - k;
    before[d] = pads[2 * k]!;
    after[d] = pads[2 * k + 1]!;
  }
  const shape = x.shape.map((n, d) => n + before[d]! + after[d]!);
  if (shape.some((n) => n < 0)) fail('pad', `pads [${pads.join(',')}] crop more than the shape [${x.shape.join(',')}] holds`);
  const out = allocArray(x.dtype, shape.reduce((a, b) => a * b, 1));
  if (value !== 0) out.fill(value);
  // Copy the overlap of the source (after cropping negative pads) into its place.
  const srcStart = before.map((b) => Math.max(0, -b));
  const dstStart = before.map((b) => Math.max(0, b));
  const copyShape = x.shape.map((n, d) => Math.max(0, n - srcStart[d]! - Math.max(0, -after[d]!)));
  const outStrides: number[] = [];
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    outStrides[d] = acc;
    acc *= shape[d]!;
  }
  const srcOff = x.offset + srcStart.reduce((o, s, d) => o + s * x.strides[d]!, 0);
  const dstOff = dstStart.reduce((o, s, d) => o + s * outStrides[d]!, 0);
  const xd = x.data;
  forEachBroadcast(copyShape, x.strides, srcOff, outStrides, dstOff, (_o, i, j) => {
    out[j] = xd[i]!;
  });
  return new Tensor(out, shape);
}
