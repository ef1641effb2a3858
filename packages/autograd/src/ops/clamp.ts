import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { Input, Variable } from '../variable.js';

interface ClampAttrs {
  min: number | null;
  max: number | null;
}

const clampOp = defineOp<ClampAttrs>({
  name: 'clamp',
  forward: ([x], { min, max }) => T.clamp(x!, min, max),
  // The grad passes where min <= x <= max (bounds included, like PyTorch).
  backward: ({ inputs: [x], attrs: { min, max } }, dy) => {
    let keep: T.Tensor | null = null;
    if (min !== null) keep = T.ge(x!, min);
    if (max !== null) keep = keep === null ? T.le(x!, max) : T.mul(keep, T.le(x!, max));
    return [keep === null ? dy : T.where(keep, dy, 0)];
  },
  // Clip takes its bounds as optional scalar inputs of x's type ('' skips one).
  onnx: (g, [x], { inputs: [xt], attrs: { min, max } }) => {
    const bound = (v: number) => g.constant(T.full([], v, { dtype: xt!.dtype }));
    const ins = [x!, min === null ? '' : bound(min)];
    if (max !== null) ins.push(bound(max));
    return g.node('Clip', ins)[0]!;
  },
});

/** Clamps into [min, max]; either bound may be omitted (null/undefined), not both. */
export function clamp(x: Input, min?: number | null, max?: number | null): Variable {
  return clampOp.run([x], { min: min ?? null, max: max ?? null });
}
