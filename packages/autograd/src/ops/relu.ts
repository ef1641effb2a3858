import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';

export const relu = defineOp({
  name: 'relu',
  forward: ([x]) => T.relu(x!),
  backward: ({ inputs: [x] }, dy) => [T.reluGrad(dy, x!)], // = dy · (x > 0), fused
  onnx: (g, [x]) => g.node('Relu', [x!])[0]!,
});
