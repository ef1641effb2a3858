// maxUnpool2d: scatters values to per-plane indices (F.max_unpool2d); its gradient is the gather at them.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { OnnxGraphBuilder } from '../onnx-graph.js';
import type { Input, Variable } from '../variable.js';

const pairOf = (v: T.Pair | undefined, dflt: number): [number, number] =>
  v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : [v[0], v[1]];

/** [x.shape[:-2]..., n] as a runtime int64 shape (any batch size). */
function leadingShapeWith(g: OnnxGraphBuilder, x: string, ndim: number, tail: readonly number[]): string {
  const lead = g.node('Slice', [g.node('Shape', [x])[0]!, g.int64([0]), g.int64([ndim - 2])])[0]!;
  return g.node('Concat', [lead, g.int64(tail)], { axis: { i: 0 } })[0]!;
}

/**
 * ONNX MaxUnpool without output_shape: per-plane indices plus each plane's offset (ONNX counts them
 * over the whole tensor), pads chosen so the inferred size is the wanted one. Null when no pads
 * onnxruntime accepts (each side below the kernel) give that size.
 */
function emitMaxUnpool(
  g: OnnxGraphBuilder,
  x: string,
  indices: string,
  xt: T.Tensor,
  out: readonly number[],
  opts: T.MaxUnpool2dOptions,
): string | null {
  const k = pairOf(opts.kernelSize, 1);
  const s = opts.stride === undefined ? k : pairOf(opts.stride, 1);
  const p = pairOf(opts.padding, 0);
  const pads = [0, 0, 0, 0];
  for (const d of [0, 1]) {
    const total = (xt.shape.at(d - 2)! - 1) * s[d]! + k[d]! - out[d]!;
    const begin = Math.min(p[d]!, Math.max(total, 0));
    if (total < 0 || begin >= k[d]! || total - begin >= k[d]!) return null;
    pads[d] = begin;
    pads[d + 2] = total - begin;
  }
  const four = xt.ndim === 4;
  const axes = g.int64([0]);
  const X = four ? x : g.node('Unsqueeze', [x, axes])[0]!;
  const I = four ? indices : g.node('Unsqueeze', [indices, axes])[0]!;
  // Plane offsets (n·C + c)·H·W. C is fixed at export, the batch may not be: n comes from a cumulative
  // sum of ones shaped like the indices, which (unlike a Reshape to a runtime shape) keeps every
  // shape inferable; onnx 1.12's MaxUnpool shape inference crashes on indices of unknown shape.
  const plane = out[0]! * out[1]!;
  const C = xt.shape.at(-3)!;
  const i64 = g.node('Cast', [I], { to: { i: 7 } })[0]!;
  const ones = g.node('Add', [g.node('Mul', [i64, g.int64([0], [])])[0]!, g.int64([1], [])])[0]!;
  const n = g.node('Sub', [g.node('CumSum', [ones, g.int64([0], [])])[0]!, g.int64([1], [])])[0]!;
  const cOffsets = g.int64(
    Array.from({ length: C }, (_, c) => c * plane),
    [C, 1, 1],
  );
  const offsets = g.node('Add', [g.node('Mul', [n, g.int64([C * plane], [])])[0]!, cOffsets])[0]!;
  const whole = g.node('Add', [i64, offsets])[0]!;
  const y = g.node('MaxUnpool', [X, whole], {
    kernel_shape: { ints: k },
    strides: { ints: s },
    pads: { ints: pads },
  })[0]!;
  return four ? y : g.node('Squeeze', [y, axes])[0]!;
}

const maxUnpool2dOp = defineOp<T.MaxUnpool2dOptions>({
  name: 'maxUnpool2d',
  forward: ([x, indices], opts) => T.maxUnpool2d(x!, indices!, opts),
  // Each input value went to one output cell: its gradient is dy there (PyTorch's rule, also when
  // repeated indices let a later value overwrite it in the forward).
  backward: ({ inputs: [x, indices], needsGrad }, dy) => {
    if (!needsGrad[0]) return [null, null];
    const planes = x!.size / (x!.shape.at(-2)! * x!.shape.at(-1)!);
    const picked = T.gather(T.reshape(dy, [planes, -1]), 1, T.reshape(indices!, [planes, -1]));
    return [T.reshape(picked, x!.shape), null];
  },
  onnx: (g, [x, indices], { inputs: [xt], output, attrs }) => {
    const out = output.shape.slice(-2);
    // MaxUnpool's output_shape input is read two ways (the ONNX reference counts the indices in the
    // (in − 1)·stride + kernel plane, onnxruntime in output_shape's), so it is never emitted: sizes
    // the pads cannot give go through ScatterElements on [..., H·W], which takes per-plane indices as is.
    const viaUnpool = emitMaxUnpool(g, x!, indices!, xt!, out, attrs);
    if (viaUnpool !== null) return viaUnpool;
    const flatX = leadingShapeWith(g, x!, xt!.ndim, [-1]);
    const zeros = g.node('ConstantOfShape', [leadingShapeWith(g, x!, xt!.ndim, [out[0]! * out[1]!])], {
      value: { t: T.zeros([1], { dtype: xt!.dtype }) },
    })[0]!;
    const scattered = g.node(
      'ScatterElements',
      [zeros, g.node('Reshape', [indices!, flatX])[0]!, g.node('Reshape', [x!, flatX])[0]!],
      { axis: { i: xt!.ndim - 2 } },
    )[0]!;
    return g.node('Reshape', [scattered, leadingShapeWith(g, x!, xt!.ndim, out)])[0]!;
  },
});

/**
 * F.max_unpool2d: puts each value of x [N, C, H, W] (or [C, H, W]) at its per-plane index (as
 * maxPool2dWithIndices gives them) in zero planes of PyTorch's default size
 * (in − 1)·stride − 2·padding + kernelSize, or of `outputSize`. Differentiable w.r.t. x.
 */
export function maxUnpool2d(x: Input, indices: T.Tensor | Variable, opts: T.MaxUnpool2dOptions): Variable {
  const dtype = indices?.dtype;
  if (dtype !== 'int32')
    throw new Error(
      `maxUnpool2d: indices must be an int32 Tensor or Variable, received ${dtype ?? typeof indices}`,
    );
  return maxUnpool2dOp.run([x, indices], { ...opts });
}
