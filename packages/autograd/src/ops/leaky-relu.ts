import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { Input, Variable } from '../variable.js';

const leakyReluOp = defineOp<{ negativeSlope: number }>({
  name: 'leakyRelu',
  forward: ([x], { negativeSlope }) => T.leakyRelu(x!, negativeSlope),
  // Slope 1 where x > 0, negativeSlope elsewhere (PyTorch's choice at 0).
  backward: ({ inputs: [x], attrs }, dy) => [T.where(T.gt(x!, 0), dy, T.mul(dy, attrs.negativeSlope))],
  onnx: (g, [x], { attrs }) => g.node('LeakyRelu', [x!], { alpha: { f: attrs.negativeSlope } })[0]!,
});

export function leakyRelu(x: Input, negativeSlope = 0.01): Variable {
  return leakyReluOp.run([x], { negativeSlope });
}
