// maxPool2d and avgPool2d over NCHW (or unbatched CHW); grads from the tensor package's pooling kernels.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
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

/** Emits `opType` on 4-d input, wrapping a 3-d (unbatched) one in Unsqueeze/Squeeze. */
function emitPool(
  g: OnnxGraphBuilder,
  opType: string,
  x: string,
  ndim: number,
  attrs: Record<string, OnnxAttr>,
): string {
  if (ndim === 4) return g.node(opType, [x], attrs)[0]!;
  const axes = g.int64([0]);
  const y = g.node(opType, [g.node('Unsqueeze', [x, axes])[0]!], attrs)[0]!;
  return g.node('Squeeze', [y, axes])[0]!;
}

const maxPool2dOp = defineOp<T.MaxPool2dOptions>({
  name: 'maxPool2d',
  forward: ([x], opts) => T.maxPool2d(x!, opts),
  backward: ({ inputs: [x], attrs }, dy) => [T.maxPool2dGrad(dy, x!, attrs)],
  onnx: (g, [x], { inputs: [xt], attrs: opts }) =>
    emitPool(g, 'MaxPool', x!, xt!.ndim, {
      ...windowAttrs(opts),
      dilations: { ints: pairOf(opts.dilation, 1) },
    }),
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

/** Mean over each window (F.avg_pool2d); countIncludePad defaults to true. */
export function avgPool2d(x: Input, opts: T.AvgPool2dOptions): Variable {
  return avgPool2dOp.run([x], { ...opts });
}
