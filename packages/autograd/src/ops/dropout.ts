import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import { type Input, toVariable, type Variable } from '../variable.js';

// Inputs are [x, mask]: the mask (0 or 1/(1-p)) is drawn by the wrapper and recorded as a constant
// input, so backward scales dy by exactly the mask the forward used.
const dropoutOp = defineOp({
  name: 'dropout',
  forward: ([x, mask]) => T.mul(x!, mask!),
  backward: ({ inputs: [, mask] }, dy) => [T.mul(dy, mask!), null],
  // Exported models run in eval mode, where dropout is the identity (and is not even recorded).
  onnx: (g, [x]) => g.node('Identity', [x!])[0]!,
});

/**
 * Inverted dropout (F.dropout): in training, zeroes each element with probability p and scales
 * the rest by 1/(1-p); otherwise (or with p = 0) returns x itself and records nothing.
 */
export function dropout(x: Input, p = 0.5, training = true, generator?: T.Generator): Variable {
  if (!(typeof p === 'number' && p >= 0 && p <= 1))
    throw new Error(`dropout: p must be in [0, 1], received ${p}`);
  const v = toVariable(x);
  if (!training || p === 0) return v;
  const dtype = v.dtype === 'int32' ? 'float32' : v.dtype;
  const u = T.rand(v.shape, { dtype, generator });
  // p = 1 drops everything (torch returns zeros rather than 0·inf).
  const mask =
    p === 1 ? T.zeros(v.shape, { dtype }) : T.where(T.ge(u, p), T.full([], 1 / (1 - p), { dtype }), 0);
  return dropoutOp(v, mask);
}
