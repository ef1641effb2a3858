// exp and log: inverse twins; each grad reuses what the forward saved.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';

export const exp = defineOp({
  name: 'exp',
  forward: ([x]) => T.exp(x!),
  backward: ({ output }, dy) => [T.mul(dy, output)],
  onnx: (g, [x]) => g.node('Exp', [x!])[0]!,
});

export const log = defineOp({
  name: 'log',
  forward: ([x]) => T.log(x!),
  backward: ({ inputs: [x] }, dy) => [T.div(dy, x!)],
  onnx: (g, [x]) => g.node('Log', [x!])[0]!,
});
