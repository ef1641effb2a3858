// maxPool2d and avgPool2d over NCHW (or unbatched CHW); grads from the tensor package's pooling kernels.
// maxPool2dIndices is the argmax as its own op (integer, no gradient), so that an exported graph
// computes the indices from its input instead of freezing the traced ones as a constant.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import { noGrad } from '../grad-mode.js';
import type { OnnxAttr, OnnxGraphBuilder } from '../onnx-graph.js';
import type { Input, Variable } from '../variable.js';

const pairOf = (v: T.Pair | undefined, dflt: number): [number, number] =>
  v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : [v[0], v[1]];

function windowAttrs(opts: T.MaxPool2dOptions | T.AvgPool2dOptions): Record<string, OnnxAttr> {
  const k = pairOf(opts.kernelSize, 1);
  const [ph, pw] = pairOf(opts.padding, 0);
  return {
    kernel_shape: { ints: k },
    strides: { ints: opts.stride === undefined ? k : pairOf(opts.stride, 1) },
    pads: { ints: opts.pads ? [...opts.pads] : [ph, pw, ph, pw] },
    ceil_mode: { i: opts.ceilMode ? 1 : 0 },
  };
}

/**
 * Emits `opType` on 4-d input, wrapping a 3-d (unbatched) one in Unsqueeze/Squeeze; `output` picks which.
 * Also used by adaptive-avg-pool2d.ts (not exported from the package).
 */
export function emitPool(
  g: OnnxGraphBuilder,
  opType: string,
  x: string,
  ndim: number,
  attrs: Record<string, OnnxAttr>,
  output: 0 | 1 = 0,
): string {
  if (ndim === 4) return g.node(opType, [x], attrs, output + 1)[output]!;
  const axes = g.int64([0]);
  const y = g.node(opType, [g.node('Unsqueeze', [x, axes])[0]!], attrs, output + 1)[output]!;
  return g.node('Squeeze', [y, axes])[0]!;
}

const maxPoolAttrs = (opts: T.MaxPool2dOptions): Record<string, OnnxAttr> => ({
  ...windowAttrs(opts),
  dilations: { ints: pairOf(opts.dilation, 1) },
});

/** Argmax of each forward output, so backward routes dy without finding the maxima again. */
const savedIndices = new WeakMap<T.Tensor, T.Tensor>();

const maxPool2dOp = defineOp<T.MaxPool2dOptions>({
  name: 'maxPool2d',
  forward: ([x], opts) => {
    const { values, indices } = T.maxPool2dWithIndices(x!, opts); // one kernel pass for both
    savedIndices.set(values, indices);
    return values;
  },
  backward: ({ inputs: [x], output, attrs }, dy) => [
    T.maxPool2dGrad(dy, x!, attrs, savedIndices.get(output)),
  ],
  onnx: (g, [x], { inputs: [xt], attrs: opts }) => emitPool(g, 'MaxPool', x!, xt!.ndim, maxPoolAttrs(opts)),
});

const maxPool2dIndicesOp = defineOp<T.MaxPool2dOptions>({
  name: 'maxPool2dIndices',
  forward: ([x], opts) => T.maxPool2dWithIndices(x!, opts).indices,
  // Integer-valued and piecewise constant in x: no gradient flows through it.
  backward: () => [null],
  onnx: (g, [x], { inputs: [xt], attrs: opts }) => {
    // ONNX's Indices output counts over the whole N·C·H·W input (row-major, storage_order 0);
    // modulo one plane's size leaves PyTorch's per-plane h·W + w, whatever the batch size.
    const whole = emitPool(g, 'MaxPool', x!, xt!.ndim, maxPoolAttrs(opts), 1);
    const plane = xt!.shape.at(-2)! * xt!.shape.at(-1)!;
    const within = g.node('Mod', [whole, g.int64([plane])])[0]!;
    return g.node('Cast', [within], { to: { i: 6 } })[0]!; // int32, tsdl's index dtype
  },
});

const avgPool2dOp = defineOp<T.AvgPool2dOptions>({
  name: 'avgPool2d',
  forward: ([x], opts) => T.avgPool2d(x!, opts),
  backward: ({ inputs: [x], attrs }, dy) => [T.avgPool2dGrad(dy, x!.shape, attrs)],
  onnx: (g, [x], { inputs: [xt], attrs: opts }) =>
    emitPool(g, 'AveragePool', x!, xt!.ndim, {
      ...windowAttrs(opts),
      count_include_pad: { i: (opts.countIncludePad ?? true) ? 1 : 0 },
    }),
});

/** Max over each window (F.max_pool2d); stride defaults to kernelSize. */
export function maxPool2d(x: Input, opts: T.MaxPool2dOptions): Variable {
  return maxPool2dOp.run([x], { ...opts });
}

/**
 * Where each window max of maxPool2d came from: an int32 Variable (no gradient) of the output's
 * shape holding the flat index h·W + w inside its own input plane, as PyTorch's return_indices
 * gives it (PyTorch: int64). It is recorded like any op, so an exported model computes it.
 */
export function maxPool2dIndices(x: Input, opts: T.MaxPool2dOptions): Variable {
  return noGrad(() => maxPool2dIndicesOp.run([x], { ...opts }));
}

/**
 * F.max_pool2d(..., return_indices=True): the window maxima (differentiable, maxPool2d's values
 * bit for bit) and their per-plane indices (see maxPool2dIndices), e.g. for maxUnpool2d.
 */
export function maxPool2dWithIndices(
  x: Input,
  opts: T.MaxPool2dOptions,
): { values: Variable; indices: Variable } {
  return { values: maxPool2d(x, opts), indices: maxPool2dIndices(x, opts) };
}

/** Mean over each window (F.avg_pool2d); countIncludePad defaults to true. */
export function avgPool2d(x: Input, opts: T.AvgPool2dOptions): Variable {
  return avgPool2dOp.run([x], { ...opts });
}
