// Fused softmax cross-entropy with PyTorch 1.13's semantics (F.cross_entropy): class-index or
// class-probability targets, per-class weights, label smoothing, ignoreIndex, reductions.
//
// Per position p (a sample, or a sample×spatial cell for [N, C, d...] logits) the loss is
// -Σ_c q_c·log softmax(x)_c for a target distribution q:
//   index target t:  q_c = (1-ε)·w_t·[c = t] + (ε/C)·w_c   (q = 0 where t = ignoreIndex)
//   prob. target t:  q_c = w_c·((1-ε)·t_c + ε/C)
// 'mean' divides the sum by Σ w_t over kept positions (index targets) or by the number of
// positions (probability targets), exactly as torch does. The grad is then g_p·(softmax·Σq - q).
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { Input, Variable } from '../variable.js';

export interface CrossEntropyOptions {
  /** Per-class weights [C]. */
  weight?: T.Tensor | null;
  /** ε in [0, 1]: mixes the target with the uniform distribution. Default 0. */
  labelSmoothing?: number;
  reduction?: 'mean' | 'sum' | 'none';
  /** Index targets equal to this contribute nothing (default -100). */
  ignoreIndex?: number;
}

interface CrossEntropyAttrs {
  weight: T.Tensor | null;
  labelSmoothing: number;
  reduction: 'mean' | 'sum' | 'none';
  ignoreIndex: number;
}

interface Geometry {
  N: number;
  C: number;
  S: number;
  /** Class-probability target (same shape as the logits) rather than class indices. */
  probs: boolean;
  /** Shape of the unreduced loss. */
  lossShape: number[];
}

const fmt = (s: readonly number[]): string => `[${s.join(',')}]`;

function geometry(x: T.Tensor, target: T.Tensor, attrs: CrossEntropyAttrs): Geometry {
  if (x.ndim === 0) throw new Error('crossEntropy: logits must be [C] or [N, C, ...], received a 0-d tensor');
  if (x.dtype === 'int32') throw new Error('crossEntropy: logits must be float32 or float64, received int32');
  const C = x.ndim === 1 ? x.shape[0]! : x.shape[1]!;
  const N = x.ndim === 1 ? 1 : x.shape[0]!;
  const S = x.size / Math.max(N * C, 1);
  const lossShape = x.shape.filter((_, i) => i !== (x.ndim === 1 ? 0 : 1));
  const probs = target.dtype !== 'int32';
  const want = probs ? x.shape : lossShape;
  if (target.ndim !== want.length || target.shape.some((d, i) => d !== want[i])) {
    throw new Error(
      `crossEntropy: ${probs ? 'a probability' : 'an int32 class-index'} target must have shape ${fmt(want)} for logits ${fmt(x.shape)}, received ${target.dtype} ${fmt(target.shape)}`,
    );
  }
  const w = attrs.weight;
  if (w !== null && (w.ndim !== 1 || w.shape[0] !== C)) {
    throw new Error(`crossEntropy: weight must have shape [${C}] (one per class), received ${fmt(w.shape)}`);
  }
  return { N, C, S, probs, lossShape };
}

/**
 * Walks every position with its target distribution q (written into `q`, length C) and the
 * position's mean-reduction weight; returns the mean's denominator.
 */
function forEachPosition(
  geo: Geometry,
  target: ArrayLike<number>,
  attrs: CrossEntropyAttrs,
  body: (n: number, s: number, q: Float64Array) => void,
): number {
  const { N, C, S, probs } = geo;
  const w = attrs.weight ? attrs.weight.toTypedArray() : null;
  const eps = attrs.labelSmoothing;
  const q = new Float64Array(C);
  let denom = 0;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      if (probs) {
        for (let c = 0; c < C; c++)
          q[c] = (w ? w[c]! : 1) * ((1 - eps) * target[(n * C + c) * S + s]! + eps / C);
        denom += 1;
      } else {
        const t = target[n * S + s]!;
        if (t === attrs.ignoreIndex) continue;
        if (!(t >= 0 && t < C)) {
          throw new Error(
            `crossEntropy: target ${t} at position ${n * S + s} is out of range for ${C} classes (ignoreIndex is ${attrs.ignoreIndex})`,
          );
        }
        for (let c = 0; c < C; c++) q[c] = (eps / C) * (w ? w[c]! : 1);
        const wt = w ? w[t]! : 1;
        q[t]! += (1 - eps) * wt;
        denom += wt;
      }
      body(n, s, q);
    }
  }
  return denom;
}

const crossEntropyOp = defineOp<CrossEntropyAttrs>({
  name: 'crossEntropy',
  forward: ([x, target], attrs) => {
    const geo = geometry(x!, target!, attrs);
    const { C, S } = geo;
    const logp = T.logSoftmax(x!, x!.ndim === 1 ? 0 : 1).toTypedArray();
    const losses = new Float64Array(geo.N * S);
    const denom = forEachPosition(geo, target!.toTypedArray(), attrs, (n, s, q) => {
      let l = 0;
      for (let c = 0; c < C; c++) if (q[c] !== 0) l -= q[c]! * logp[(n * C + c) * S + s]!;
      losses[n * S + s] = l;
    });
    if (attrs.reduction === 'none') return T.tensor(losses, { shape: geo.lossShape }).to(x!.dtype);
    let total = 0;
    for (const l of losses) total += l;
    return T.full([], attrs.reduction === 'mean' ? total / denom : total, { dtype: x!.dtype });
  },
  backward: ({ inputs: [x, target], attrs, needsGrad }, dy) => {
    const geo = geometry(x!, target!, attrs);
    const { C, S } = geo;
    const axis = x!.ndim === 1 ? 0 : 1;
    const g = dy.toTypedArray();
    const gradOf = (n: number, s: number): number => (attrs.reduction === 'none' ? g[n * S + s]! : g[0]!);
    const tgt = target!.toTypedArray();
    let dx: Float64Array | null = null;
    let denom = 0;
    if (needsGrad[0]) {
      const p = T.softmax(x!, axis).toTypedArray();
      const out = new Float64Array(x!.size);
      denom = forEachPosition(geo, tgt, attrs, (n, s, q) => {
        const gp = gradOf(n, s);
        let total = 0;
        for (let c = 0; c < C; c++) total += q[c]!;
        for (let c = 0; c < C; c++) {
          const i = (n * C + c) * S + s;
          out[i] = gp * (p[i]! * total - q[c]!);
        }
      });
      dx = out;
    }
    // A probability target is differentiable too: d/dt_c = -(1-ε)·w_c·log p_c.
    let dt: Float64Array | null = null;
    if (needsGrad[1] && geo.probs) {
      const logp = T.logSoftmax(x!, axis).toTypedArray();
      const w = attrs.weight ? attrs.weight.toTypedArray() : null;
      const out = new Float64Array(x!.size);
      for (let n = 0; n < geo.N; n++) {
        for (let s = 0; s < S; s++) {
          const gp = gradOf(n, s);
          for (let c = 0; c < C; c++) {
            const i = (n * C + c) * S + s;
            out[i] = -gp * (1 - attrs.labelSmoothing) * (w ? w[c]! : 1) * logp[i]!;
          }
        }
      }
      denom = geo.N * S;
      dt = out;
    }
    // The mean's denominator is known only after a full pass: scale at the end.
    const finish = (a: Float64Array | null, like: T.Tensor): T.Tensor | null => {
      if (a === null) return null;
      if (attrs.reduction === 'mean') for (let i = 0; i < a.length; i++) a[i]! /= denom;
      return T.tensor(a, { shape: like.shape }).to(like.dtype);
    };
    return [finish(dx, x!), finish(dt, target!)];
  },
  // ONNX's NegativeLogLikelihoodLoss has torch's weight/ignore_index/mean semantics but no label
  // smoothing or probability targets.
  onnx: (g, [x, target], { inputs: [xt, tt], attrs }) => {
    if (attrs.labelSmoothing !== 0) return unsupported(`labelSmoothing ${attrs.labelSmoothing}`);
    if (tt!.dtype !== 'int32') return unsupported(`${tt!.dtype} probability targets`);
    if (xt!.ndim < 2) return unsupported(`unbatched logits [${xt!.shape.join(',')}]`);
    const logp = g.node('LogSoftmax', [x!], { axis: { i: 1 } })[0]!;
    const ins = [logp, target!];
    if (attrs.weight) ins.push(g.constant(attrs.weight.to(xt!.dtype)));
    return g.node('NegativeLogLikelihoodLoss', ins, {
      reduction: { s: attrs.reduction },
      ignore_index: { i: attrs.ignoreIndex },
    })[0]!;
  },
});

function unsupported(what: string): never {
  throw new Error(
    `crossEntropy: ONNX export needs [N, C, ...] logits, int32 class targets and labelSmoothing 0 (NegativeLogLikelihoodLoss), received ${what}`,
  );
}

/**
 * Cross-entropy between logits [N, C, ...] (or [C]) and targets: int32 class indices [N, ...]
 * or class probabilities shaped like the logits. Softmax and log are fused for stability.
 */
export function crossEntropy(logits: Input, target: Input, opts: CrossEntropyOptions = {}): Variable {
  const labelSmoothing = opts.labelSmoothing ?? 0;
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new Error(`crossEntropy: labelSmoothing must be in [0, 1], received ${labelSmoothing}`);
  }
  const reduction = opts.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new Error(
      `crossEntropy: reduction must be 'mean', 'sum' or 'none', received '${String(reduction)}'`,
    );
  }
  return crossEntropyOp.run([logits, target], {
    weight: opts.weight ?? null,
    labelSmoothing,
    reduction,
    ignoreIndex: opts.ignoreIndex ?? -100,
  });
}
