import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';

// σ' = σ(1 - σ), from the saved output.
export const sigmoid = defineOp({
  name: 'sigmoid',
  forward: ([x]) => T.sigmoid(x!),
  backward: ({ output }, dy) => [T.mul(dy, T.mul(output, T.sub(1, output)))],
  onnx: (g, [x]) => g.node('Sigmoid', [x!])[0]!,
});
