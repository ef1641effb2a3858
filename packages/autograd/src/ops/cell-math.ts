// Small helpers shared by the fused recurrent cells (lstm-cell.ts, gru-cell.ts) and the whole-sequence
// ops (lstm-sequence.ts, gru-sequence.ts).
import * as T from '@tsdl/tensor';
import type { Input } from '../variable.js';

export type FloatArray = Float32Array | Float64Array;

/** The whole-sequence ops' attributes. */
export interface SequenceAttrs {
  /** Run t = T−1 … 0 (the reverse direction of a bidirectional layer). */
  reverse: boolean;
}

// Scratch arrays of the whole-sequence ops (gates, states, gate gradients: a few hundred KB per layer
// and step), handed back after the graph's last backward and reused by the next forward: a fresh
// typed array costs its zero-fill and the GC's bookkeeping (~0.1 µs per KB here), and the contents
// are overwritten anyway. At most POOLED arrays are kept per length and type.
const POOLED = 4;
const pool = new Map<string, FloatArray[]>();
const keyOf = (f64: boolean, n: number) => `${f64 ? 'f64' : 'f32'}:${n}`;

/** An array of n elements of the dtype, recycled if one is free: its contents are arbitrary. */
export function scratchArray(dtype: T.DType, n: number): FloatArray {
  const a = pool.get(keyOf(dtype === 'float64', n))?.pop();
  return a ?? (dtype === 'float64' ? new Float64Array(n) : new Float32Array(n));
}

/** Hands arrays from scratchArray back (nothing may use them after). */
export function recycle(...arrays: FloatArray[]): void {
  for (const a of arrays) {
    const k = keyOf(a instanceof Float64Array, a.length);
    const free = pool.get(k) ?? [];
    if (free.length < POOLED && !free.includes(a)) free.push(a);
    pool.set(k, free);
  }
}

/** t's row-major elements as `dtype` (no copy when t already is contiguous and of that dtype). */
export function floatData(t: T.Tensor, dtype: T.DType): FloatArray {
  return (t.dtype === dtype ? t.contiguous() : t.to(dtype)).data as FloatArray;
}

/** T.sigmoid's expression in double (stable for both signs): the cells' float64 path. */
export function sigmoid(v: number): number {
  const e = Math.exp(-Math.abs(v));
  return (v >= 0 ? 1 : e) / (1 + e);
}

/** The inputs of a whole-sequence op in their common float dtype (mixed float dtypes promote). */
export function promoted(op: string, inputs: T.Tensor[]): { dtype: 'float32' | 'float64'; ts: T.Tensor[] } {
  const dtype = inputs.map((t) => t.dtype).reduce(T.promoteTypes);
  if (dtype === 'int32') throw new Error(`${op}: expects float32 or float64 inputs, received int32`);
  return { dtype, ts: inputs.map((t) => (t.dtype === dtype ? t : t.to(dtype))) };
}

/** v·wᵀ + b as the linear op computes it, as a flat array (v·wᵀ written into `out` if given). */
export function projection(v: T.Tensor, w: T.Tensor, b: T.Tensor | undefined, out?: T.Tensor): FloatArray {
  const y = T.matmul(v, T.transpose(w, 0, 1), { out });
  return (b === undefined ? y : T.add(y, b)).contiguous().data as FloatArray;
}

/**
 * Shape checks of a whole-sequence op: x [T, N, I], weightIh [G·H, I], weightHh [G·H, H] for G gate
 * blocks, and each named state [N, H].
 */
export function checkSequence(
  op: string,
  gates: number,
  x: T.Tensor,
  wIh: T.Tensor,
  wHh: T.Tensor,
  states: [string, T.Tensor][],
): void {
  const fail = (m: string) => {
    throw new Error(`${op}: ${m}`);
  };
  if (x.ndim !== 3) fail(`x must be [T, N, I], received [${x.shape.join(',')}]`);
  const [, n, i] = x.shape as [number, number, number];
  if (wHh.ndim !== 2 || wHh.shape[0] !== gates * wHh.shape[1]!)
    fail(`weightHh must be [${gates}H, H], received [${wHh.shape.join(',')}]`);
  const h = wHh.shape[1]!;
  if (wIh.ndim !== 2 || wIh.shape[0] !== gates * h || wIh.shape[1] !== i)
    fail(`weightIh must be [${gates * h}, ${i}], received [${wIh.shape.join(',')}]`);
  for (const [name, s] of states) {
    if (s.ndim !== 2 || s.shape[0] !== n || s.shape[1] !== h)
      fail(`${name} must be [${n}, ${h}], received [${s.shape.join(',')}]`);
  }
}

/** A whole-sequence op's inputs: the given ones, then both biases or neither. */
export function withBiases(op: string, inputs: Input[], biasIh: Input | null, biasHh: Input | null): Input[] {
  if ((biasIh == null) !== (biasHh == null))
    throw new Error(`${op}: give both biases or neither, received one`);
  return biasIh == null ? inputs : [...inputs, biasIh, biasHh!];
}

/**
 * The gradients that flow through a whole-sequence op's two projections, from every step's gradients
 * of the input projection (gX) and of the hidden one (gH), [T·N, G·H] in position order (one tensor
 * for both in an LSTM): [x, weightIh, weightHh, biasIh, biasHh], each only where `need` says (the
 * biases also only when there are any). x is [T, N, I]; hPrev [T·N, H] holds the h each step read.
 */
export function projectionGrads(
  gX: T.Tensor,
  gH: T.Tensor,
  x: T.Tensor,
  wIh: T.Tensor,
  hPrev: T.Tensor,
  hasBias: boolean,
  need: readonly boolean[],
): (T.Tensor | null)[] {
  const [steps, n, inF] = x.shape as [number, number, number];
  const dbIh = hasBias && (need[3] || (need[4] && gH === gX)) ? T.sum(gX, 0) : null;
  return [
    need[0] ? T.reshape(T.matmul(gX, wIh), [steps, n, inF]) : null,
    need[1] ? T.matmul(T.transpose(gX, 0, 1), T.reshape(x, [steps * n, inF])) : null,
    need[2] ? T.matmul(T.transpose(gH, 0, 1), hPrev) : null,
    hasBias && need[3] ? (need[4] && gH === gX ? dbIh!.clone() : dbIh) : null,
    hasBias && need[4] ? (gH === gX ? dbIh : T.sum(gH, 0)) : null,
  ];
}
