import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import { sumTo } from '../sum-to.js';

/**
 * a ** b with broadcasting; either may be a number (tensor^scalar, scalar^tensor).
 * d/da = b·a^(b-1); d/db = a^b·ln a, taken as 0 where a = 0 and b >= 0 (PyTorch's convention).
 */
export const pow = defineOp({
  name: 'pow',
  forward: ([a, b]) => T.pow(a!, b!),
  backward: ({ inputs: [a, b], output, needsGrad }, dy) => {
    const da = needsGrad[0] ? sumTo(T.mul(dy, T.mul(b!, T.pow(a!, T.sub(b!, 1)))), a!.shape) : null;
    let db: T.Tensor | null = null;
    if (needsGrad[1]) {
      const zeroBase = T.mul(T.eq(a!, 0), T.ge(b!, 0));
      db = sumTo(T.where(zeroBase, 0, T.mul(dy, T.mul(output, T.log(a!)))), b!.shape);
    }
    return [da, db];
  },
  onnx: (g, [a, b]) => g.node('Pow', [a!, b!])[0]!,
});
