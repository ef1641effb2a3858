import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { Input, Variable } from '../variable.js';

interface FlattenAttrs {
  startDim: number;
  endDim: number;
}

const flattenOp = defineOp<FlattenAttrs>({
  name: 'flatten',
  forward: ([x], { startDim, endDim }) => T.flatten(x!, startDim, endDim),
  backward: ({ inputs: [x] }, dy) => [T.reshape(dy, x!.shape)],
  // ONNX Flatten always gives 2-d [prod(dims < axis), prod(dims >= axis)]: torch's flatten only
  // when start is 1 and end the last dim. Otherwise Reshape, copying the dims before start (0)
  // so the batch dim stays symbolic.
  onnx: (g, [x], { inputs: [xt], output, attrs }) => {
    const n = xt!.ndim;
    const s = attrs.startDim < 0 ? attrs.startDim + n : attrs.startDim;
    const e = attrs.endDim < 0 ? attrs.endDim + n : attrs.endDim;
    if (n >= 2 && s === 1 && e === n - 1) return g.node('Flatten', [x!], { axis: { i: 1 } })[0]!;
    const shape = n === 0 ? [1] : [...Array<number>(s).fill(0), -1, ...output.shape.slice(s + 1)];
    return g.node('Reshape', [x!, g.int64(shape)])[0]!;
  },
});

/** Merges dims startDim..endDim into one (torch.flatten). */
export function flatten(x: Input, startDim = 0, endDim = -1): Variable {
  return flattenOp.run([x], { startDim, endDim });
}
