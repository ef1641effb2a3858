import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { Input, Variable } from '../variable.js';

const pairOf = (v: T.Pair | undefined, dflt: number): [number, number] =>
  v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : [v[0], v[1]];

/** ONNX `pads` [top, left, bottom, right] for the conv described by opts (kernel [kh, kw]). */
function onnxPads(opts: T.Conv2dOptions, kernel: readonly number[]): number[] {
  if (opts.pads !== undefined) return [...opts.pads];
  if (opts.padding === 'valid') return [0, 0, 0, 0];
  if (opts.padding === 'same') {
    // torch puts the odd extra padding at the bottom/right.
    const [dh, dw] = pairOf(opts.dilation, 1);
    const th = dh * (kernel[0]! - 1);
    const tw = dw * (kernel[1]! - 1);
    return [Math.floor(th / 2), Math.floor(tw / 2), th - Math.floor(th / 2), tw - Math.floor(tw / 2)];
  }
  const [ph, pw] = pairOf(opts.padding, 0);
  return [ph, pw, ph, pw];
}

// Inputs are [x, w] or [x, w, b]; x is [N,C,H,W] or unbatched [C,H,W].
const conv2dOp = defineOp<T.Conv2dOptions>({
  name: 'conv2d',
  forward: ([x, w, b], opts) => T.conv2d(x!, w!, b ?? null, opts),
  backward: ({ inputs: [x, w, b], needsGrad, attrs: opts }, dy) => [
    needsGrad[0] ? T.conv2dGradInput(dy, w!, x!.shape, opts) : null,
    needsGrad[1] ? T.conv2dGradWeight(x!, dy, w!.shape, opts) : null,
    b !== undefined && needsGrad[2] ? T.sum(dy, dy.ndim === 4 ? [0, 2, 3] : [1, 2]) : null,
  ],
  freshGrads: true,
  onnx: (g, [x, w, b], { inputs: [xt, wt], attrs: opts }) => {
    const kernel = wt!.shape.slice(2);
    const attrs = {
      kernel_shape: { ints: kernel },
      strides: { ints: pairOf(opts.stride, 1) },
      dilations: { ints: pairOf(opts.dilation, 1) },
      pads: { ints: onnxPads(opts, kernel) },
      group: { i: opts.groups ?? 1 },
    };
    const ins = b === undefined ? [w!] : [w!, b];
    // ONNX Conv needs a batch dim: add one around an unbatched input.
    if (xt!.ndim === 3) {
      const axes = g.int64([0]);
      const y = g.node('Conv', [g.node('Unsqueeze', [x!, axes])[0]!, ...ins], attrs)[0]!;
      return g.node('Squeeze', [y, axes])[0]!;
    }
    return g.node('Conv', [x!, ...ins], attrs)[0]!;
  },
});

/** 2-d convolution over NCHW (F.conv2d): weight [O, C/groups, kh, kw], optional bias [O]. */
export function conv2d(
  x: Input,
  weight: Input,
  bias: Input | null = null,
  opts: T.Conv2dOptions = {},
): Variable {
  const attrs = { ...opts };
  return bias === null || bias === undefined
    ? conv2dOp.run([x, weight], attrs)
    : conv2dOp.run([x, weight, bias], attrs);
}
