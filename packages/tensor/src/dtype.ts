/** Element types a Tensor can hold. float64 is used for linear algebra and gradient checks. */
export type DType = 'float32' | 'float64' | 'int32';
export type TypedArray = Float32Array | Float64Array | Int32Array;

const ORDER: Record<DType, number> = { int32: 0, float32: 1, float64: 2 };

export function isDType(x: unknown): x is DType {
  return x === 'float32' || x === 'float64' || x === 'int32';
}

/** Allocates a zero-filled array of `n` elements of `dtype`. */
export function allocArray(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int32':
      return new Int32Array(n);
  }
}

export function dtypeOfArray(a: TypedArray): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  return 'int32';
}

/** PyTorch-style promotion for two tensors: int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return ORDER[a] >= ORDER[b] ? a : b;
}

/** Result dtype of tensor ⊕ scalar: a fractional scalar lifts an int32 tensor to float32 (like PyTorch). */
export function promoteScalar(a: DType, s: number): DType {
  return a === 'int32' && !Number.isInteger(s) ? 'float32' : a;
}

export function isFloat(d: DType): boolean {
  return d !== 'int32';
}
