import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { Input, Variable } from '../variable.js';

interface SliceAttrs {
  axis: number;
  start: number;
  end?: number;
  step: number;
}

/** Python's start normalisation: negative counts from the end, then clamped into [0, n]. */
function normStart(start: number, n: number): number {
  const s = start < 0 ? start + n : start;
  return Math.min(Math.max(s, 0), n);
}

const sliceOp = defineOp<SliceAttrs>({
  name: 'slice',
  forward: ([x], { axis, start, end, step }) => T.slice(x!, axis, start, end, step),
  // dy lands back at the sliced positions, zeros elsewhere: a pad for step 1, an indexAdd otherwise.
  backward: ({ inputs: [x], attrs }, dy) => {
    const ax = attrs.axis < 0 ? attrs.axis + x!.ndim : attrs.axis;
    const n = x!.shape[ax]!;
    const s = normStart(attrs.start, n);
    const m = dy.shape[ax]!;
    if (attrs.step === 1) {
      const pads = new Array<number>(2 * x!.ndim).fill(0);
      const k = x!.ndim - 1 - ax;
      pads[2 * k] = s;
      pads[2 * k + 1] = n - s - m;
      return [T.pad(dy, pads)];
    }
    const idx = Array.from({ length: m }, (_, i) => s + i * attrs.step);
    return [T.indexAdd(T.zeros(x!.shape, { dtype: dy.dtype }), ax, idx, dy)];
  },
  // ONNX Slice follows Python's rules for negative and out-of-range bounds; "to the end" is a huge end.
  onnx: (g, [x], { attrs }) =>
    g.node('Slice', [
      x!,
      g.int64([attrs.start]),
      g.int64([attrs.end ?? Number.MAX_SAFE_INTEGER]),
      g.int64([attrs.axis]),
      g.int64([attrs.step]),
    ])[0]!,
});

/** Elements start..end (exclusive) with `step` (> 0) along `axis`; negative bounds count from the end. */
export function slice(x: Input, axis: number, start: number, end?: number, step = 1): Variable {
  return sliceOp.run([x], { axis, start, end, step });
}
