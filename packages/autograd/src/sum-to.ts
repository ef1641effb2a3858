import { reshape, sum, type Tensor } from '@tsdl/tensor';

/** Sums a broadcast gradient back down to `shape` (the inverse of NumPy broadcasting). */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  const s = axes.length > 0 ? sum(g, axes, true) : g;
  return reshape(s, shape);
}
