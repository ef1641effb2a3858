// sum and mean over axes; mean's grad is sum's divided by the count.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import { axesOf, keptShape, type ReduceAttrs } from '../reduce-axes.js';
import type { Input, Variable } from '../variable.js';

/** Reshapes dy to keepdims form and broadcasts it back over the input's shape. */
function spread(dy: T.Tensor, x: T.Tensor, attrs: ReduceAttrs): T.Tensor {
  const axes = axesOf(x.ndim, attrs.axis);
  const kept = keptShape(x.shape, axes);
  return T.expand(T.reshape(dy, kept), x.shape);
}

const sumOp = defineOp<ReduceAttrs>({
  name: 'sum',
  forward: ([x], { axis, keepdims }) => T.sum(x!, axis as number[] | undefined, keepdims),
  backward: ({ inputs: [x], attrs }, dy) => [spread(dy, x!, attrs)],
  onnx: (g, [x], { inputs: [xt], attrs }) =>
    g.node('ReduceSum', [x!, g.int64(axesOf(xt!.ndim, attrs.axis))], {
      keepdims: { i: attrs.keepdims ? 1 : 0 },
    })[0]!,
});

const meanOp = defineOp<ReduceAttrs>({
  name: 'mean',
  forward: ([x], { axis, keepdims }) => T.mean(x!, axis as number[] | undefined, keepdims),
  backward: ({ inputs: [x], output, attrs }, dy) => [
    T.div(spread(dy, x!, attrs), x!.size / Math.max(output.size, 1)),
  ],
  // Opset 17 ReduceMean still takes axes as an attribute.
  onnx: (g, [x], { inputs: [xt], attrs }) =>
    g.node('ReduceMean', [x!], {
      axes: { ints: axesOf(xt!.ndim, attrs.axis) },
      keepdims: { i: attrs.keepdims ? 1 : 0 },
    })[0]!,
});

export function sum(x: Input, axis?: number | readonly number[], keepdims = false): Variable {
  return sumOp.run([x], { axis, keepdims });
}

export function mean(x: Input, axis?: number | readonly number[], keepdims = false): Variable {
  return meanOp.run([x], { axis, keepdims });
}
