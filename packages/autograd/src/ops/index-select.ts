// indexSelect and embedding: pick whole slices by int32 indices; the grad adds dy back at those
// indices (repeats accumulate). Indices are an op input, not an attribute, so an exported model
// can take them from its own inputs.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import { type Input, Variable } from '../variable.js';

function indexTensor(op: string, indices: T.Tensor | Variable | readonly number[]): T.Tensor | Variable {
  if (indices instanceof Variable || indices instanceof T.Tensor) {
    const dtype = indices.dtype;
    if (dtype !== 'int32') throw new Error(`${op}: indices must be int32, received ${dtype}`);
    return indices;
  }
  if (!Array.isArray(indices))
    throw new Error(
      `${op}: indices must be an int32 Tensor or an array of integers, received ${typeof indices}`,
    );
  return T.tensor([...indices], { dtype: 'int32', shape: [indices.length] });
}

const indexSelectOp = defineOp<{ axis: number }>({
  name: 'indexSelect',
  forward: ([x, idx], { axis }) => T.indexSelect(x!, axis, idx!),
  backward: ({ inputs: [x, idx], attrs: { axis }, needsGrad }, dy) => [
    needsGrad[0] ? T.indexAdd(T.zeros(x!.shape, { dtype: dy.dtype }), axis, idx!, dy) : null,
    null,
  ],
  onnx: (g, [x, idx], { inputs: [xt], attrs: { axis } }) =>
    g.node('Gather', [x!, idx!], { axis: { i: axis < 0 ? axis + xt!.ndim : axis } })[0]!,
});

/** Slices of `x` at `indices` (1-d int32) along `axis` (torch.index_select; ONNX Gather). */
export function indexSelect(
  x: Input,
  axis: number,
  indices: T.Tensor | Variable | readonly number[],
): Variable {
  return indexSelectOp.run([x, indexTensor('indexSelect', indices)], { axis });
}

// Rows of `weight` for indices of any shape: out shape is [...indices.shape, dim].
const embeddingOp = defineOp({
  name: 'embedding',
  forward: ([w, idx]) => {
    const rows = T.indexSelect(w!, 0, T.reshape(idx!, [idx!.size]));
    return T.reshape(rows, [...idx!.shape, ...w!.shape.slice(1)]);
  },
  backward: ({ inputs: [w, idx], needsGrad }, dy) => {
    if (!needsGrad[0]) return [null, null];
    const flat = T.reshape(dy, [idx!.size, ...w!.shape.slice(1)]);
    return [T.indexAdd(T.zeros(w!.shape, { dtype: dy.dtype }), 0, T.reshape(idx!, [idx!.size]), flat), null];
  },
  onnx: (g, [w, idx]) => g.node('Gather', [w!, idx!], { axis: { i: 0 } })[0]!,
});

/** Looks up rows of `weight` [num, dim] for int32 `indices` of any shape (F.embedding; ONNX Gather). */
export function embedding(weight: Input, indices: T.Tensor | Variable | readonly number[]): Variable {
  return embeddingOp(weight, indexTensor('embedding', indices));
}
