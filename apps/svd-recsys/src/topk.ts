// TopK along the last axis, which @tsdl/autograd does not have: declared here with defineOp like any
// op (forward, backward, ONNX emitter). Two ops, values and indices, because an op has one output;
// each emits its own ONNX TopK node (onnxruntime runs both; they are cheap next to the MatMul).
import { defineOp, type Variable } from '@tsdl/autograd';
import * as T from '@tsdl/tensor';

interface TopKAttrs {
  k: number;
}

/** Rows of x [..., n] → the positions of their k largest entries, largest first; ties keep the lower index first (ONNX's rule). */
function topkPositions(
  x: T.Tensor,
  k: number,
): { values: Float32Array | Float64Array; indices: Int32Array; shape: number[] } {
  const n = x.shape[x.ndim - 1]!;
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new Error(
      `topk: k must be an integer in [1, ${n}] (the last axis of x, shape [${x.shape.join(',')}]), received ${k}`,
    );
  const src = x.toTypedArray();
  const rows = src.length / n;
  const values = x.dtype === 'float64' ? new Float64Array(rows * k) : new Float32Array(rows * k);
  const indices = new Int32Array(rows * k);
  // A sorted buffer of the best k so far: O(n·k) worst case, O(n) typically for k ≪ n.
  const bv = new Float64Array(k);
  const bi = new Int32Array(k);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let size = 0;
    for (let j = 0; j < n; j++) {
      const v = src[o + j]!;
      if (size === k && !(v > bv[k - 1]!)) continue; // equal to the k-th best: the earlier index wins
      let p = size < k ? size++ : k - 1;
      while (p > 0 && v > bv[p - 1]!) {
        bv[p] = bv[p - 1]!;
        bi[p] = bi[p - 1]!;
        p--;
      }
      bv[p] = v;
      bi[p] = j;
    }
    for (let c = 0; c < k; c++) {
      values[r * k + c] = bv[c]!;
      indices[r * k + c] = bi[c]!;
    }
  }
  return { values, indices, shape: [...x.shape.slice(0, -1), k] };
}

const topkValuesOp = defineOp<TopKAttrs>({
  name: 'svdRecsys.topkValues',
  forward: ([x], { k }) => {
    const t = topkPositions(x!, k);
    return new T.Tensor(t.values, t.shape);
  },
  // The k selected entries get dy; the others none (like torch.topk's values).
  backward: ({ inputs: [x], attrs: { k } }, dy) => {
    const { indices, shape } = topkPositions(x!, k);
    return [T.scatterAdd(T.zeros(x!.shape, { dtype: dy.dtype }), -1, new T.Tensor(indices, shape), dy)];
  },
  onnx: (g, [x], { attrs: { k } }) =>
    g.node('TopK', [x!, g.int64([k])], { axis: { i: -1 }, largest: { i: 1 }, sorted: { i: 1 } }, 2)[0]!,
});

const topkIndicesOp = defineOp<TopKAttrs>({
  name: 'svdRecsys.topkIndices',
  forward: ([x], { k }) => {
    const t = topkPositions(x!, k);
    return new T.Tensor(t.indices, t.shape);
  },
  backward: () => {
    throw new Error('topkIndices: not differentiable (integer positions)');
  },
  // ONNX TopK gives int64 positions; Cast to int32, the dtype tsdl traced.
  onnx: (g, [x], { attrs: { k } }) => {
    const idx = g.node(
      'TopK',
      [x!, g.int64([k])],
      { axis: { i: -1 }, largest: { i: 1 }, sorted: { i: 1 } },
      2,
    )[1]!;
    return g.node('Cast', [idx], { to: { i: 6 } })[0]!;
  },
});

/** The k largest values along the last axis, largest first (torch.topk(x, k).values; ONNX TopK). */
export function topkValues(x: T.Tensor | Variable, k: number): Variable {
  return topkValuesOp.run([x], { k });
}

/** Their positions along the last axis as int32 (torch.topk(x, k).indices; ONNX TopK + Cast). */
export function topkIndices(x: T.Tensor | Variable, k: number): Variable {
  return topkIndicesOp.run([x], { k });
}
