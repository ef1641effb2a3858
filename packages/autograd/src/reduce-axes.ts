// Axis bookkeeping shared by the reduction ops (sum, mean, max, min).

export interface ReduceAttrs {
  axis?: number | readonly number[];
  keepdims: boolean;
}

/** The reduced axes, non-negative (all axes when `axis` is undefined). */
export function axesOf(ndim: number, axis: ReduceAttrs['axis']): number[] {
  if (axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  return (typeof axis === 'number' ? [axis] : [...axis]).map((a) => (a < 0 ? a + ndim : a));
}

/** `shape` with the reduced axes set to 1 (the keepdims shape). */
export function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}
