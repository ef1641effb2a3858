// Layer normalisation over the trailing dims (F.layer_norm), a fused op: the tensor package's kernels
// compute y with float64 row statistics and the full analytic backward.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import { type Input, toVariable, Variable } from '../variable.js';

interface LayerNormAttrs {
  normalizedShape: number[];
  eps: number;
  /** Which of weight and bias follow x in the inputs (absent ones are not inputs at all). */
  hasWeight: boolean;
  hasBias: boolean;
}

/** Row statistics of each forward output, so backward need not recompute them. */
const savedStats = new WeakMap<T.Tensor, { mean: T.Tensor; invStd: T.Tensor }>();

function split(inputs: T.Tensor[], attrs: LayerNormAttrs) {
  const [x, ...rest] = inputs;
  const weight = attrs.hasWeight ? rest.shift()! : null;
  const bias = attrs.hasBias ? rest.shift()! : null;
  return { x: x!, weight, bias };
}

const layerNormOp = defineOp<LayerNormAttrs>({
  name: 'layerNorm',
  forward: (inputs, attrs) => {
    const { x, weight, bias } = split(inputs, attrs);
    const { y, mean, invStd } = T.layerNormForward(x, attrs.normalizedShape, weight, bias, attrs.eps);
    savedStats.set(y, { mean, invStd });
    return y;
  },
  backward: ({ inputs, output, attrs, needsGrad }, dy) => {
    const { x, weight, bias } = split(inputs, attrs);
    const stats =
      savedStats.get(output) ?? T.layerNormForward(x, attrs.normalizedShape, weight, bias, attrs.eps);
    const g = T.layerNormBackward(dy, x, attrs.normalizedShape, stats.mean, stats.invStd, weight);
    const grads: (T.Tensor | null)[] = [needsGrad[0] ? g.dx : null];
    if (attrs.hasWeight) grads.push(needsGrad[grads.length] ? g.dweight : null);
    if (attrs.hasBias) grads.push(needsGrad[grads.length] ? g.dbias : null);
    return grads;
  },
  // LayerNormalization (opset 17) normalises from `axis` to the last dim; Scale is required, B is not.
  onnx: (g, inputs, { inputs: ts, attrs }) => {
    const x = inputs[0]!;
    const dtype = ts[0]!.dtype === 'float64' ? 'float64' : 'float32';
    const scale = attrs.hasWeight ? inputs[1]! : g.constant(T.ones(attrs.normalizedShape, { dtype }));
    const operands = attrs.hasBias ? [x, scale, inputs[inputs.length - 1]!] : [x, scale];
    return g.node('LayerNormalization', operands, {
      axis: { i: -attrs.normalizedShape.length },
      epsilon: { f: attrs.eps },
    })[0]!;
  },
});

function shapeOf(v: Input): readonly number[] {
  return v instanceof Variable || v instanceof T.Tensor ? v.shape : [];
}

/**
 * Functional layer normalisation (F.layer_norm): normalises x over its last normalizedShape.length
 * dims, which must equal normalizedShape, with each slice's mean and biased variance, then scales by
 * weight and shifts by bias (each of normalizedShape; omitted or null: none).
 */
export function layerNorm(
  x: Input,
  normalizedShape: number | readonly number[],
  weight?: Input | null,
  bias?: Input | null,
  eps = 1e-5,
): Variable {
  const xv = toVariable(x);
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const lead = xv.ndim - shape.length;
  if (
    shape.length === 0 ||
    !shape.every((d) => Number.isInteger(d) && d > 0) ||
    lead < 0 ||
    shape.some((d, i) => xv.shape[lead + i] !== d)
  ) {
    throw new Error(
      `layerNorm: normalizedShape ${JSON.stringify(normalizedShape)} must be positive sizes matching the trailing dims of x, expected input of shape [*,${shape.join(',')}], received [${xv.shape.join(',')}]`,
    );
  }
  const inputs: Input[] = [xv];
  for (const [name, v] of [
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (v == null) continue;
    const s = shapeOf(v);
    if (s.length !== shape.length || s.some((d, i) => d !== shape[i]))
      throw new Error(`layerNorm: ${name} must have shape [${shape.join(',')}], received [${s.join(',')}]`);
    inputs.push(v);
  }
  return layerNormOp.run(inputs, {
    normalizedShape: shape,
    eps,
    hasWeight: weight != null,
    hasBias: bias != null,
  });
}
