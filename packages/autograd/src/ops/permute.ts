// permute and transpose (a permute that swaps two dims); the grad applies the inverse permutation.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import { type Input, toVariable, type Variable } from '../variable.js';

const norm = (d: number, n: number): number => (d < 0 ? d + n : d);

const permuteOp = defineOp<{ dims: readonly number[] }>({
  name: 'permute',
  forward: ([x], { dims }) => T.permute(x!, dims),
  backward: ({ inputs: [x], attrs: { dims } }, dy) => {
    const inv = new Array<number>(dims.length);
    dims.forEach((d, i) => {
      inv[norm(d, x!.ndim)] = i;
    });
    return [T.permute(dy, inv)];
  },
  onnx: (g, [x], { inputs: [xt], attrs: { dims } }) =>
    g.node('Transpose', [x!], { perm: { ints: dims.map((d) => norm(d, xt!.ndim)) } })[0]!,
});

/** Reorders dims (torch.permute). */
export function permute(x: Input, dims: readonly number[]): Variable {
  return permuteOp.run([x], { dims: [...dims] });
}

/** Swaps dims d0 and d1 (torch.transpose). */
export function transpose(x: Input, d0: number, d1: number): Variable {
  const v = toVariable(x);
  const n = v.ndim;
  for (const [name, d] of [
    ['dim0', d0],
    ['dim1', d1],
  ] as const) {
    if (!Number.isInteger(d) || d < -n || d >= n)
      throw new Error(`transpose: ${name} ${d} is out of range for a tensor of rank ${n}`);
  }
  const dims = Array.from({ length: n }, (_, i) => i);
  dims[norm(d0, n)] = norm(d1, n);
  dims[norm(d1, n)] = norm(d0, n);
  return permuteOp.run([v], { dims });
}
