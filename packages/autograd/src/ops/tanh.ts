import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';

// tanh' = 1 - tanh², from the saved output.
export const tanh = defineOp({
  name: 'tanh',
  forward: ([x]) => T.tanh(x!),
  backward: ({ output }, dy) => [T.mul(dy, T.sub(1, T.mul(output, output)))],
  onnx: (g, [x]) => g.node('Tanh', [x!])[0]!,
});
