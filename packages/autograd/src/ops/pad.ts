import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { Input, Variable } from '../variable.js';

interface PadAttrs {
  pads: readonly number[];
  value: number;
}

const padOp = defineOp<PadAttrs>({
  name: 'pad',
  forward: ([x], { pads, value }) => T.pad(x!, pads, value),
  // The grad is dy with the padding cut off again.
  backward: ({ inputs: [x], attrs: { pads } }, dy) => {
    let g = dy;
    for (let k = 0; 2 * k < pads.length; k++) {
      const ax = x!.ndim - 1 - k;
      const left = pads[2 * k]!;
      g = T.slice(g, ax, left, left + x!.shape[ax]!);
    }
    return [g];
  },
  // torch order is [lastBegin, lastEnd, prevBegin, prevEnd, ...]; ONNX wants all begins then all ends, first dim first.
  onnx: (g, [x], { inputs: [xt], attrs: { pads, value } }) => {
    const n = xt!.ndim;
    const begins = new Array<number>(n).fill(0);
    const ends = new Array<number>(n).fill(0);
    for (let k = 0; 2 * k < pads.length; k++) {
      begins[n - 1 - k] = pads[2 * k]!;
      ends[n - 1 - k] = pads[2 * k + 1]!;
    }
    const fill = g.constant(T.full([], value, { dtype: xt!.dtype }));
    return g.node('Pad', [x!, g.int64([...begins, ...ends]), fill], { mode: { s: 'constant' } })[0]!;
  },
});

/** Constant padding in torch's F.pad order: [lastBegin, lastEnd, prevBegin, prevEnd, ...]. */
export function pad(x: Input, pads: readonly number[], value = 0): Variable {
  return padOp.run([x], { pads: [...pads], value });
}
