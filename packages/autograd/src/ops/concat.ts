// concat and stack: joins along an axis; each input's grad is its slice of dy.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { Input, Variable } from '../variable.js';

const concatOp = defineOp<{ axis: number }>({
  name: 'concat',
  forward: (xs, { axis }) => T.concat(xs, axis),
  backward: ({ inputs, needsGrad, attrs }, dy) => {
    const ax = attrs.axis < 0 ? attrs.axis + dy.ndim : attrs.axis;
    let at = 0;
    return inputs.map((x, i) => {
      const start = at;
      at += x.shape[ax]!;
      return needsGrad[i] ? T.slice(dy, ax, start, at) : null;
    });
  },
  onnx: (g, xs, { output, attrs }) =>
    g.node('Concat', xs, { axis: { i: attrs.axis < 0 ? attrs.axis + output.ndim : attrs.axis } })[0]!,
});

const stackOp = defineOp<{ axis: number }>({
  name: 'stack',
  forward: (xs, { axis }) => T.stack(xs, axis),
  backward: ({ inputs, needsGrad, attrs }, dy) => {
    const ax = attrs.axis < 0 ? attrs.axis + dy.ndim : attrs.axis;
    return inputs.map((x, i) => (needsGrad[i] ? T.reshape(T.slice(dy, ax, i, i + 1), x.shape) : null));
  },
  // ONNX has no Stack: unsqueeze each input on the new axis, then concat.
  onnx: (g, xs, { output, attrs }) => {
    const ax = attrs.axis < 0 ? attrs.axis + output.ndim : attrs.axis;
    const axes = g.int64([ax]);
    return g.node(
      'Concat',
      xs.map((x) => g.node('Unsqueeze', [x, axes])[0]!),
      { axis: { i: ax } },
    )[0]!;
  },
});

/** Joins tensors along an existing axis (torch.cat). */
export function concat(xs: readonly Input[], axis = 0): Variable {
  if (!Array.isArray(xs) || xs.length === 0)
    throw new Error('concat: xs must be a non-empty array of tensors');
  return concatOp.run(xs, { axis });
}

/** Joins same-shaped tensors along a new axis (torch.stack). */
export function stack(xs: readonly Input[], axis = 0): Variable {
  if (!Array.isArray(xs) || xs.length === 0)
    throw new Error('stack: xs must be a non-empty array of tensors');
  return stackOp.run(xs, { axis });
}
