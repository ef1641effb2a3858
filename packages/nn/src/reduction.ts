// Shared by the loss modules (internal): the reduction option and input checks.
import { type Input, mean, sum, Variable } from '@tsdl/autograd';
import { Tensor } from '@tsdl/tensor';

export type Reduction = 'mean' | 'sum' | 'none';

export function checkReduction(op: string, r: string): Reduction {
  if (r !== 'mean' && r !== 'sum' && r !== 'none') {
    throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', received '${r}'`);
  }
  return r;
}

export function reduce(x: Variable, reduction: Reduction): Variable {
  return reduction === 'mean' ? mean(x) : reduction === 'sum' ? sum(x) : x;
}

export function shapeOf(x: Input): readonly number[] {
  return typeof x === 'number' ? [] : x.shape;
}

export function tensorOf(x: Input): Tensor {
  if (x instanceof Variable) return x.data;
  if (x instanceof Tensor) return x;
  return new Tensor(new Float32Array([x]), []);
}

/** Element-wise losses need input and target of one shape (PyTorch only warns; a silent broadcast hides bugs). */
export function checkSameShape(op: string, input: Input, target: Input): void {
  const a = shapeOf(input);
  const b = shapeOf(target);
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new Error(`${op}: input shape [${a.join(',')}] and target shape [${b.join(',')}] differ`);
  }
}
