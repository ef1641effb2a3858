import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import { type Input, Variable } from '../variable.js';

// out[i][j] = x[index[i][j]][j] (axis 0); the grad scatter-adds dy back at the same places.
const gatherOp = defineOp<{ axis: number }>({
  name: 'gather',
  forward: ([x, index], { axis }) => T.gather(x!, axis, index!),
  backward: ({ inputs: [x, index], attrs: { axis }, needsGrad }, dy) => [
    needsGrad[0] ? T.scatterAdd(T.zeros(x!.shape, { dtype: dy.dtype }), axis, index!, dy) : null,
    null,
  ],
  onnx: (g, [x, index], { inputs: [xt], attrs: { axis } }) =>
    g.node('GatherElements', [x!, index!], { axis: { i: axis < 0 ? axis + xt!.ndim : axis } })[0]!,
});

/** torch.gather: picks along `axis` by an int32 `index` of the same rank (ONNX GatherElements). */
export function gather(x: Input, axis: number, index: T.Tensor | Variable): Variable {
  const dtype = index instanceof Variable || index instanceof T.Tensor ? index.dtype : typeof index;
  if (dtype !== 'int32') throw new Error(`gather: index must be an int32 Tensor, received ${dtype}`);
  return gatherOp.run([x, index], { axis });
}
