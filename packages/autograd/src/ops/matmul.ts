import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import { sumTo } from '../sum-to.js';

// Gradients of a batched matmul: dA = dY·Bᵀ, dB = Aᵀ·dY, summed over broadcast batch dims.
// 1-d operands are promoted to matrices first, as in the forward.
export const matmul = defineOp({
  name: 'matmul',
  forward: ([a, b]) => T.matmul(a!, b!),
  backward: ({ inputs: [a, b], needsGrad }, dy) => {
    const a2 = a!.ndim === 1 ? T.unsqueeze(a!, 0) : a!;
    const b2 = b!.ndim === 1 ? T.unsqueeze(b!, 1) : b!;
    let dy2 = dy;
    if (a!.ndim === 1) dy2 = T.unsqueeze(dy2, -2);
    if (b!.ndim === 1) dy2 = T.unsqueeze(dy2, -1);
    const da = needsGrad[0]
      ? T.reshape(sumTo(T.matmul(dy2, T.transpose(b2, -1, -2)), a2.shape), a!.shape)
      : null;
    const db = needsGrad[1]
      ? T.reshape(sumTo(T.matmul(T.transpose(a2, -1, -2), dy2), b2.shape), b!.shape)
      : null;
    return [da, db];
  },
  freshGrads: true,
  onnx: (g, [a, b]) => g.node('MatMul', [a!, b!])[0]!,
});
