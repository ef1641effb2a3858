// GELU (F.gelu) with both of torch's forms; forward and gradient from the tensor package's kernels.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { OnnxGraphBuilder } from '../onnx-graph.js';
import type { Input, Variable } from '../variable.js';

/** A scalar initializer in x's dtype (ONNX's Mul/Add need both operands of one type). */
const scalar = (g: OnnxGraphBuilder, v: number, dtype: T.DType): string =>
  g.constant(T.full([], v, { dtype: dtype === 'float64' ? 'float64' : 'float32' }));

const geluOp = defineOp<{ approximate: T.GeluApproximate }>({
  name: 'gelu',
  forward: ([x], { approximate }) => T.gelu(x!, approximate),
  backward: ({ inputs: [x], attrs }, dy) => [T.geluGrad(dy, x!, attrs.approximate)],
  // ONNX has Gelu only from opset 20, so both forms are spelled out in opset-17 ops.
  onnx: (g, [x], { inputs: [xt], attrs }) => {
    const c = (v: number) => scalar(g, v, xt!.dtype);
    const mul = (a: string, b: string) => g.node('Mul', [a, b])[0]!;
    let inner: string;
    if (attrs.approximate === 'tanh') {
      // tanh(√(2/π)·(x + 0.044715·x³))
      const cube = g.node('Pow', [x!, c(3)])[0]!;
      const arg = g.node('Add', [x!, mul(cube, c(0.044715))])[0]!;
      inner = g.node('Tanh', [mul(arg, c(Math.sqrt(2 / Math.PI)))])[0]!;
    } else {
      inner = g.node('Erf', [mul(x!, c(Math.SQRT1_2))])[0]!; // erf(x/√2)
    }
    // 0.5·x·(1 + inner)
    return mul(mul(x!, g.node('Add', [inner, c(1)])[0]!), c(0.5));
  },
});

/**
 * Gaussian error linear unit (F.gelu): x·Φ(x) with the exact normal CDF (approximate 'none', the
 * default) or 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))) ('tanh').
 */
export function gelu(x: Input, approximate: T.GeluApproximate = 'none'): Variable {
  if (approximate !== 'none' && approximate !== 'tanh')
    throw new Error(`gelu: approximate must be 'none' or 'tanh', received ${JSON.stringify(approximate)}`);
  return geluOp.run([x], { approximate });
}
