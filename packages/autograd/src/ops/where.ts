import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import { sumTo } from '../sum-to.js';
import type { Input, Variable } from '../variable.js';

// Inputs are [cond, a, b]; cond is a mask and never gets a grad.
const whereOp = defineOp({
  name: 'where',
  forward: ([cond, a, b]) => T.where(cond!, a!, b!),
  backward: ({ inputs: [cond, a, b], needsGrad }, dy) => [
    null,
    needsGrad[1] ? sumTo(T.where(cond!, dy, 0), a!.shape) : null,
    needsGrad[2] ? sumTo(T.where(cond!, 0, dy), b!.shape) : null,
  ],
  // ONNX Where wants a bool condition (TensorProto.BOOL = 9).
  onnx: (g, [cond, a, b]) => g.node('Where', [g.node('Cast', [cond!], { to: { i: 9 } })[0]!, a!, b!])[0]!,
});

/** Elementwise select: `cond` nonzero → a, else b (all three broadcast). `cond` is not differentiated. */
export function where(cond: T.Tensor | Variable, a: Input, b: Input): Variable {
  return whereOp(cond, a, b);
}
