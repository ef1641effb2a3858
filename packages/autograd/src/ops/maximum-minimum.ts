// Elementwise maximum and minimum of two broadcast operands; on ties each side gets half the grad (PyTorch).
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import { sumTo } from '../sum-to.js';

function pick(
  a: T.Tensor,
  b: T.Tensor,
  dy: T.Tensor,
  aWins: T.Tensor,
  needsGrad: boolean[],
): (T.Tensor | null)[] {
  const half = T.mul(dy, 0.5);
  const tie = T.eq(a, b);
  const ga = T.where(tie, half, T.where(aWins, dy, 0));
  const gb = T.where(tie, half, T.where(aWins, 0, dy));
  return [needsGrad[0] ? sumTo(ga, a.shape) : null, needsGrad[1] ? sumTo(gb, b.shape) : null];
}

export const maximum = defineOp({
  name: 'maximum',
  forward: ([a, b]) => T.maximum(a!, b!),
  backward: ({ inputs: [a, b], needsGrad }, dy) => pick(a!, b!, dy, T.gt(a!, b!), needsGrad),
  onnx: (g, [a, b]) => g.node('Max', [a!, b!])[0]!,
});

export const minimum = defineOp({
  name: 'minimum',
  forward: ([a, b]) => T.minimum(a!, b!),
  backward: ({ inputs: [a, b], needsGrad }, dy) => pick(a!, b!, dy, T.lt(a!, b!), needsGrad),
  onnx: (g, [a, b]) => g.node('Min', [a!, b!])[0]!,
});
