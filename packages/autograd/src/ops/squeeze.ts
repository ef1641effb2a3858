// squeeze and unsqueeze: shape-only twins whose grads reshape dy back to the input's shape.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { Input, Variable } from '../variable.js';

const squeezeOp = defineOp<{ axis?: number | readonly number[] }>({
  name: 'squeeze',
  forward: ([x], { axis }) => T.squeeze(x!, axis),
  backward: ({ inputs: [x] }, dy) => [T.reshape(dy, x!.shape)],
  // Opset 13+ takes axes as an input; list exactly the dims that were removed.
  onnx: (g, [x], { inputs: [xt], attrs: { axis } }) => {
    const n = xt!.ndim;
    const listed =
      axis === undefined ? null : (typeof axis === 'number' ? [axis] : axis).map((a) => (a < 0 ? a + n : a));
    const axes = xt!.shape.flatMap((d, i) => (d === 1 && (listed === null || listed.includes(i)) ? [i] : []));
    if (axes.length === 0) return g.node('Identity', [x!])[0]!;
    return g.node('Squeeze', [x!, g.int64(axes)])[0]!;
  },
});

const unsqueezeOp = defineOp<{ axis: number }>({
  name: 'unsqueeze',
  forward: ([x], { axis }) => T.unsqueeze(x!, axis),
  backward: ({ inputs: [x] }, dy) => [T.reshape(dy, x!.shape)],
  onnx: (g, [x], { output, attrs: { axis } }) =>
    g.node('Unsqueeze', [x!, g.int64([axis < 0 ? axis + output.ndim : axis])])[0]!,
});

/** Removes size-1 dims: all of them, or those listed in `axis` (a listed dim that is not 1 stays). */
export function squeeze(x: Input, axis?: number | readonly number[]): Variable {
  return squeezeOp.run([x], { axis });
}

/** Inserts a size-1 dim at `axis` (numbered in the result). */
export function unsqueeze(x: Input, axis: number): Variable {
  return unsqueezeOp.run([x], { axis });
}
