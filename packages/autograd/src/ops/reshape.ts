import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { Input, Variable } from '../variable.js';

const reshapeOp = defineOp<{ shape: readonly number[] }>({
  name: 'reshape',
  forward: ([x], { shape }) => T.reshape(x!, shape),
  backward: ({ inputs: [x] }, dy) => [T.reshape(dy, x!.shape)],
  // Keep the batch dim symbolic (0 = copy from input) so the exported model takes any batch size.
  onnx: (g, [x], { inputs: [xt], output }) =>
    g.node('Reshape', [x!, g.int64(output.shape.map((d, i) => (i === 0 && xt!.shape[0] === d ? 0 : d)))])[0]!,
});

export function reshape(x: Input, shape: readonly number[]): Variable {
  return reshapeOp.run([x], { shape });
}
