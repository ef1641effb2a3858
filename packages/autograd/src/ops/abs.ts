import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';

// The subgradient at 0 is 0 (sign(0) = 0), as in PyTorch.
export const abs = defineOp({
  name: 'abs',
  forward: ([x]) => T.abs(x!),
  backward: ({ inputs: [x] }, dy) => [T.mul(dy, T.sign(x!))],
  onnx: (g, [x]) => g.node('Abs', [x!])[0]!,
});
