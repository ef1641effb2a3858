import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import { sumTo } from '../sum-to.js';
import type { Input, Variable } from '../variable.js';

const expandOp = defineOp<{ shape: readonly number[] }>({
  name: 'expand',
  forward: ([x], { shape }) => T.expand(x!, shape),
  backward: ({ inputs: [x] }, dy) => [sumTo(dy, x!.shape)],
  // ONNX Expand broadcasts both ways, so a 1 keeps the input's dim: write 1 wherever the dim is
  // not expanded, which keeps the batch dim symbolic.
  onnx: (g, [x], { inputs: [xt], output }) => {
    const lead = output.ndim - xt!.ndim;
    const shape = output.shape.map((d, i) => (i >= lead && xt!.shape[i - lead] === d ? 1 : d));
    return g.node('Expand', [x!, g.int64(shape)])[0]!;
  },
});

/** Broadcasts to `shape` (-1 keeps a dim), like torch.expand. */
export function expand(x: Input, shape: readonly number[]): Variable {
  return expandOp.run([x], { shape: [...shape] });
}
