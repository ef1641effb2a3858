// softmax and logSoftmax along one axis; both grads come from the saved output.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { Input, Variable } from '../variable.js';

const axisOf = (axis: number, ndim: number): number => (axis < 0 ? axis + Math.max(ndim, 1) : axis);

const softmaxOp = defineOp<{ axis: number }>({
  name: 'softmax',
  forward: ([x], { axis }) => T.softmax(x!, axis),
  // dx = y ⊙ (dy - Σ dy⊙y)
  backward: ({ output: y, attrs }, dy) => {
    const ax = axisOf(attrs.axis, y.ndim);
    const s = y.ndim === 0 ? T.mul(dy, y) : T.sum(T.mul(dy, y), ax, true);
    return [T.mul(y, T.sub(dy, s))];
  },
  onnx: (g, [x], { inputs: [xt], attrs }) =>
    g.node('Softmax', [x!], { axis: { i: axisOf(attrs.axis, xt!.ndim) } })[0]!,
});

const logSoftmaxOp = defineOp<{ axis: number }>({
  name: 'logSoftmax',
  forward: ([x], { axis }) => T.logSoftmax(x!, axis),
  // dx = dy - softmax ⊙ Σ dy
  backward: ({ output: y, attrs }, dy) => {
    const ax = axisOf(attrs.axis, y.ndim);
    const s = y.ndim === 0 ? dy : T.sum(dy, ax, true);
    return [T.sub(dy, T.mul(T.exp(y), s))];
  },
  onnx: (g, [x], { inputs: [xt], attrs }) =>
    g.node('LogSoftmax', [x!], { axis: { i: axisOf(attrs.axis, xt!.ndim) } })[0]!,
});

/** exp(x) / Σ exp(x) along `axis` (default the last). */
export function softmax(x: Input, axis = -1): Variable {
  return softmaxOp.run([x], { axis });
}

/** log(softmax(x)) along `axis`, computed stably. */
export function logSoftmax(x: Input, axis = -1): Variable {
  return logSoftmaxOp.run([x], { axis });
}
