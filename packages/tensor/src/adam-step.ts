// The Adam update as one fused kernel over float32 arrays, for optimizers (`@tsdl/nn`'s Adam and
// AdamW call it): the WebAssembly SIMD kernel when installed, the reference loop otherwise —
// bit-identical either way.
import { describeValue, fail } from './errors.js';
import { type AdamScalars, kernels } from './kernels.js';

/**
 * Updates parameters `w` and moments `m`, `v` in place from gradient `g`, as torch 1.13's
 * single-tensor Adam does on CPU (scalars already rounded to float32, see AdamScalars).
 */
export function adamStep(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  s: AdamScalars,
): void {
  if (!(w instanceof Float32Array))
    fail('adamStep', `w must be a Float32Array, received ${describeValue(w)}`);
  const n = w.length;
  for (const [name, a] of [
    ['g', g],
    ['m', m],
    ['v', v],
  ] as const) {
    if (!(a instanceof Float32Array))
      fail('adamStep', `${name} must be a Float32Array, received ${describeValue(a)}`);
    if (a.length !== n) fail('adamStep', `${name} must have w's length ${n}, received length ${a.length}`);
  }
  kernels.adam(w, g, m, v, s);
}

/**
 * Zeroed moments m and v for adamStep on a parameter of n elements. Use them rather than plain arrays:
 * with WebAssembly they live where the Adam kernel reads them (from 8 192 elements), and adamStep
 * then copies only w and g, not m and v, in and out each step. They are ordinary Float32Arrays otherwise.
 */
export function adamMoments(n: number): { m: Float32Array; v: Float32Array } {
  if (!Number.isInteger(n) || n < 0) fail('adamMoments', `n must be a non-negative integer, received ${n}`);
  return kernels.adamMoments(n);
}
