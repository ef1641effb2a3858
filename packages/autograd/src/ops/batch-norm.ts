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
function layout(x: T.Tensor): { axes: number[]; chan: number[]; count: number } {
  const axes = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
  const chan = x.shape.map((d, i) => (i === 1 ? d : 1));
  return { axes, chan, count: x.size / x.shape[1]! };
}

/** x̂ and 1/σ per channel, from the batch (biased variance, as torch normalises) or from running stats. */
function normalise(
  x: T.Tensor,
  rest: T.Tensor[],
  attrs: BatchNormAttrs,
): { xhat: T.Tensor; invstd: T.Tensor } {
  const { axes, chan } = layout(x);
  let xc: T.Tensor;
  let variance: T.Tensor;
  if (attrs.training) {
    xc = T.sub(x, T.mean(x, axes, true));
    variance = T.mean(T.mul(xc, xc), axes, true);
  } else {
    xc = T.sub(x, T.reshape(rest[2]!, chan));
    variance = T.reshape(rest[3]!, chan);
  }
  const invstd = T.div(1, T.sqrt(T.add(variance, attrs.eps)));
  return { xhat: T.mul(xc, invstd), invstd };
}

// Inputs: [x, weight, bias] in training, [x, weight, bias, runningMean, runningVar] in eval.
const batchNormOp = defineOp<BatchNormAttrs>({
  name: 'batchNorm',
  forward: ([x, ...rest], attrs) => {
    const { chan } = layout(x!);
    const { xhat } = normalise(x!, rest, attrs);
    return T.add(T.mul(xhat, T.reshape(rest[0]!, chan)), T.reshape(rest[1]!, chan));
  },
  backward: ({ inputs: [x, ...rest], attrs, needsGrad }, dy) => {
    const { axes, chan, count } = layout(x!);
    const { xhat, invstd } = normalise(x!, rest, attrs);
    const C = x!.shape[1]!;
    let dx: T.Tensor | null = null;
    if (needsGrad[0]) {
      const dxhat = T.mul(dy, T.reshape(rest[0]!, chan));
      if (attrs.training) {
        // Batch statistics depend on x too: dx = (1/σ)(dx̂ - mean(dx̂) - x̂·mean(dx̂·x̂)).
        const m1 = T.div(T.sum(dxhat, axes, true), count);
        const m2 = T.div(T.sum(T.mul(dxhat, xhat), axes, true), count);
        dx = T.mul(invstd, T.sub(T.sub(dxhat, m1), T.mul(xhat, m2)));
      } else {
        dx = T.mul(dxhat, invstd);
      }
    }
    const dw = needsGrad[1] ? T.reshape(T.sum(T.mul(dy, xhat), axes), [C]) : null;
    const db = needsGrad[2] ? T.reshape(T.sum(dy, axes), [C]) : null;
    return [dx, dw, db, null, null];
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
