// Small helpers shared by the fused recurrent cells (lstm-cell.ts, gru-cell.ts).
import type * as T from '@tsdl/tensor';

export type FloatArray = Float32Array | Float64Array;

/** t's row-major elements as `dtype` (no copy when t already is contiguous and of that dtype). */
export function floatData(t: T.Tensor, dtype: T.DType): FloatArray {
  return (t.dtype === dtype ? t.contiguous() : t.to(dtype)).data as FloatArray;
}

/** T.sigmoid's expression in double (stable for both signs): the cells' float64 path. */
export function sigmoid(v: number): number {
  const e = Math.exp(-Math.abs(v));
  return (v >= 0 ? 1 : e) / (1 + e);
}
