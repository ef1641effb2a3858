// max and min reductions over axes (values only, like torch.amax/amin).
// Ties: the grad is spread evenly over every element equal to the extremum (torch.amax's rule),
// so the result does not depend on which tied element a kernel happens to find first.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { OnnxEmitter } from '../onnx-graph.js';
import { axesOf, keptShape, type ReduceAttrs } from '../reduce-axes.js';
import type { Input, Variable } from '../variable.js';

function extremumGrad(x: T.Tensor, out: T.Tensor, dy: T.Tensor, attrs: ReduceAttrs): T.Tensor {
  const axes = axesOf(x.ndim, attrs.axis);
  const kept = keptShape(x.shape, axes);
  const hit = T.eq(x, T.reshape(out, kept));
  const count = T.sum(hit, axes, true);
  return T.mul(hit, T.div(T.reshape(dy, kept), count));
}

// Opset 17 ReduceMax/ReduceMin still take axes as an attribute.
const emitter =
  (opType: string): OnnxEmitter<ReduceAttrs> =>
  (g, [x], { inputs: [xt], attrs }) =>
    g.node(opType, [x!], {
      axes: { ints: axesOf(xt!.ndim, attrs.axis) },
      keepdims: { i: attrs.keepdims ? 1 : 0 },
    })[0]!;

const maxOp = defineOp<ReduceAttrs>({
  name: 'max',
  forward: ([x], { axis, keepdims }) => T.max(x!, axis, keepdims),
  backward: ({ inputs: [x], output, attrs }, dy) => [extremumGrad(x!, output, dy, attrs)],
  onnx: emitter('ReduceMax'),
});

const minOp = defineOp<ReduceAttrs>({
  name: 'min',
  forward: ([x], { axis, keepdims }) => T.min(x!, axis, keepdims),
  backward: ({ inputs: [x], output, attrs }, dy) => [extremumGrad(x!, output, dy, attrs)],
  onnx: emitter('ReduceMin'),
});

/** Largest value over `axis` (all axes when omitted); ties share the grad evenly. */
export function max(x: Input, axis?: number | readonly number[], keepdims = false): Variable {
  return maxOp.run([x], { axis, keepdims });
}

/** Smallest value over `axis` (all axes when omitted); ties share the grad evenly. */
export function min(x: Input, axis?: number | readonly number[], keepdims = false): Variable {
  return minOp.run([x], { axis, keepdims });
}
