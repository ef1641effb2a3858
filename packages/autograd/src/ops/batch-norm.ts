import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import { type Input, toVariable, Variable } from '../variable.js';

export interface BatchNormOptions {
  /** Normalise with the batch's statistics (true) or the running ones (false). Default false. */
  training?: boolean;
  /** Only recorded for export: running statistics are updated by the nn layer, not here. */
  momentum?: number;
  eps?: number;
}

interface BatchNormAttrs {
  training: boolean;
  momentum: number;
  eps: number;
}

/** Reduction axes (all but the channel axis 1) and the [1, C, 1, ...] shape per-channel values broadcast from. */
function layout(x: T.Tensor): { axes: number[]; chan: number[] } {
  const axes = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
  const chan = x.shape.map((d, i) => (i === 1 ? d : 1));
  return { axes, chan };
}

/** Per-channel statistics of each forward output, so backward need not recompute them. */
const savedStats = new WeakMap<T.Tensor, { mean: T.Tensor; invStd: T.Tensor }>();

/** Fused kernel: batch mean and biased variance (as torch normalises) in training, else running stats. */
function forwardKernel([x, w, b, rm, rv]: T.Tensor[], attrs: BatchNormAttrs): T.BatchNormForwardResult {
  return T.batchNormForward(x!, w!, b!, {
    training: attrs.training,
    runningMean: rm,
    runningVar: rv,
    eps: attrs.eps,
  });
}

// Inputs: [x, weight, bias] in training, [x, weight, bias, runningMean, runningVar] in eval.
const batchNormOp = defineOp<BatchNormAttrs>({
  name: 'batchNorm',
  forward: (inputs, attrs) => {
    const { y, mean, invStd } = forwardKernel(inputs, attrs);
    savedStats.set(y, { mean, invStd });
    return y;
  },
  backward: ({ inputs, output, attrs, needsGrad }, dy) => {
    const { mean, invStd } = savedStats.get(output) ?? forwardKernel(inputs, attrs);
    // In training the batch statistics depend on x too; the kernel's closed form includes that.
    const g = T.batchNormBackward(dy, inputs[0]!, mean, invStd, inputs[1]!, attrs.training);
    return [
      needsGrad[0] ? g.dx : null,
      needsGrad[1] ? g.dweight : null,
      needsGrad[2] ? g.dbias : null,
      null,
      null,
    ];
  },
  onnx: (g, [x, w, b, rm, rv], { inputs: [xt], attrs }) => {
    if (!attrs.training) {
      return g.node('BatchNormalization', [x!, w!, b!, rm!, rv!], {
        epsilon: { f: attrs.eps },
        momentum: { f: 1 - attrs.momentum },
      })[0]!;
    }
    // Batch statistics at inference (a layer without running stats): spelled out, since
    // BatchNormalization's training_mode is for training runtimes.
    const { axes, chan } = layout(xt!);
    const reduce = { axes: { ints: axes }, keepdims: { i: 1 } };
    const xc = g.node('Sub', [x!, g.node('ReduceMean', [x!], reduce)[0]!])[0]!;
    const variance = g.node('ReduceMean', [g.node('Mul', [xc, xc])[0]!], reduce)[0]!;
    const eps = g.constant(T.full([], attrs.eps, { dtype: xt!.dtype }));
    const xhat = g.node('Div', [xc, g.node('Sqrt', [g.node('Add', [variance, eps])[0]!])[0]!])[0]!;
    const shape = g.int64(chan);
    const scaled = g.node('Mul', [xhat, g.node('Reshape', [w!, shape])[0]!])[0]!;
    return g.node('Add', [scaled, g.node('Reshape', [b!, shape])[0]!])[0]!;
  },
});

type Stat = T.Tensor | Variable | null | undefined;

/**
 * Functional batch normalisation over the channel axis 1 of [N, C, ...] (F.batch_norm).
 * training: normalise with the batch mean and biased variance (backward includes their dependence
 * on x); otherwise use runningMean/runningVar. It never updates the running statistics (the
 * layer does). weight/bias default to ones/zeros when null.
 */
export function batchNorm(
  x: Input,
  runningMean: Stat,
  runningVar: Stat,
  weight?: Input | null,
  bias?: Input | null,
  opts: BatchNormOptions = {},
): Variable {
  const xv = toVariable(x);
  const training = opts.training ?? false;
  const attrs: BatchNormAttrs = { training, momentum: opts.momentum ?? 0.1, eps: opts.eps ?? 1e-5 };
  if (xv.ndim < 2)
    throw new Error(`batchNorm: x must be at least 2-d [N, C, ...], received shape [${xv.shape.join(',')}]`);
  const C = xv.shape[1]!;
  const dtype = xv.dtype === 'int32' ? 'float32' : xv.dtype;
  const perChannel = (name: string, v: Input | null | undefined, fill: number): Input => {
    if (v === null || v === undefined) return T.full([C], fill, { dtype });
    const shape = v instanceof Variable || v instanceof T.Tensor ? v.shape : [];
    if (shape.length !== 1 || shape[0] !== C) {
      throw new Error(
        `batchNorm: ${name} must have shape [${C}] (channels of x [${xv.shape.join(',')}]), received [${shape.join(',')}]`,
      );
    }
    return v;
  };
  const inputs: Input[] = [xv, perChannel('weight', weight, 1), perChannel('bias', bias, 0)];
  if (!training) {
    if (runningMean == null || runningVar == null) {
      throw new Error('batchNorm: runningMean and runningVar are required when training is false');
    }
    inputs.push(perChannel('runningMean', runningMean, 0), perChannel('runningVar', runningVar, 1));
  }
  return batchNormOp.run(inputs, attrs);
}
