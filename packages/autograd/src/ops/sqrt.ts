import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';

// d sqrt(x) = 1 / (2 sqrt(x)): reuses the output (inf at 0, like PyTorch).
export const sqrt = defineOp({
  name: 'sqrt',
  forward: ([x]) => T.sqrt(x!),
  backward: ({ output }, dy) => [T.div(dy, T.mul(output, 2))],
  onnx: (g, [x]) => g.node('Sqrt', [x!])[0]!,
});
