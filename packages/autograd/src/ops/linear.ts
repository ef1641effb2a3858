import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { Input, Variable } from '../variable.js';

// y = x·Wᵀ + b with W [out, in] (torch's layout). Inputs are [x, W] or [x, W, b].
const linearOp = defineOp({
  name: 'linear',
  forward: ([x, w, b]) => {
    if (w!.ndim !== 2 || x!.ndim === 0 || x!.shape[x!.ndim - 1] !== w!.shape[1]) {
      throw new Error(
        `linear: x must be [..., in] and weight [out, in] with the same in, received x [${x!.shape.join(',')}] and weight [${w!.shape.join(',')}]`,
      );
    }
    const y = T.matmul(x!, T.transpose(w!, 0, 1));
    return b === undefined ? y : T.add(y, b);
  },
  backward: ({ inputs: [x, w, b], needsGrad }, dy) => {
    const [outF, inF] = w!.shape as [number, number];
    const dx = needsGrad[0] ? T.matmul(dy, w!) : null;
    // Every leading dim of x is a batch dim: fold them into rows, dW = dy2ᵀ·x2.
    const dw = needsGrad[1]
      ? T.matmul(T.transpose(T.reshape(dy, [-1, outF]), 0, 1), T.reshape(x!, [-1, inF]))
      : null;
    const db =
      b !== undefined && needsGrad[2]
        ? dy.ndim === 1
          ? dy.clone()
          : T.sum(T.reshape(dy, [-1, outF]), 0)
        : null;
    return [dx, dw, db];
  },
  freshGrads: true,
  // 2-d x maps onto Gemm (C optional); other ranks use MatMul with a transposed weight, then Add.
  onnx: (g, [x, w, b], { inputs: [xt] }) => {
    if (xt!.ndim === 2)
      return g.node('Gemm', b === undefined ? [x!, w!] : [x!, w!, b], { transB: { i: 1 } })[0]!;
    const wt = g.node('Transpose', [w!], { perm: { ints: [1, 0] } })[0]!;
    const y = g.node('MatMul', [x!, wt])[0]!;
    return b === undefined ? y : g.node('Add', [y, b])[0]!;
  },
});

/** Fused x·Wᵀ + b (F.linear): x [..., in], weight [out, in], bias [out]. */
export function linear(x: Input, weight: Input, bias?: Input | null): Variable {
  return bias == null ? linearOp(x, weight) : linearOp(x, weight, bias);
}
