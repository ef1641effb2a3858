// For ops that recycle their saved arrays after the last backward (lstmSequence, gruSequence).
import * as T from '@tsdl/tensor';
import { expect } from 'vitest';
import { sum } from '../index.js';
import { Variable } from '../variable.js';

/**
 * Leaves of `shapes` (seeded normals, requiring grad) through `op`, loss Σ(op(leaves)·weights):
 * the same inputs give the same gradients whatever ran before (recycled arrays hold stale values),
 * and a retained graph's saved state survives other passes in between.
 */
export function expectRecyclingSafe(
  shapes: number[][],
  op: (leaves: Variable[]) => Variable,
  weights: Variable,
): void {
  const leaves = (seed: number) => {
    const g = new T.Generator(seed);
    return shapes.map((s) => new Variable(T.randn(s, { generator: g }), true));
  };
  const grads = (vs: Variable[]) => vs.map((v) => Array.from(v.grad!.toTypedArray()));
  const run = (vs: Variable[], retainGraph = false) => {
    const loss = sum(op(vs).mul(weights));
    loss.backward(undefined, { retainGraph });
    return loss;
  };
  const a1 = leaves(1);
  run(a1);
  run(leaves(2));
  const a2 = leaves(1);
  run(a2);
  expect(grads(a2)).toEqual(grads(a1));
  const b = leaves(3);
  const loss = run(b, true);
  const first = grads(b);
  for (const v of b) v.grad = null;
  run(leaves(4));
  run(leaves(5));
  loss.backward();
  expect(grads(b)).toEqual(first);
}
