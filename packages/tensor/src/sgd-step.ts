// The SGD update as one fused kernel over float32 arrays, for optimizers (`@tsdl/nn`'s SGD calls
// it): the WebAssembly kernel when installed, the reference loop otherwise — bit-identical either way.
import { describeValue, fail } from './errors.js';
import { kernels, type SgdScalars } from './kernels.js';

/**
 * Updates parameters `w` (and the momentum buffer `buf`, unless null) in place from gradient `g`,
 * as torch 1.13's single-tensor SGD does on CPU (scalars already rounded to float32, see SgdScalars).
 */
export function sgdStep(w: Float32Array, g: Float32Array, buf: Float32Array | null, s: SgdScalars): void {
  if (!(w instanceof Float32Array)) fail('sgdStep', `w must be a Float32Array, received ${describeValue(w)}`);
  const n = w.length;
  for (const [name, a] of [
    ['g', g],
    ['buf', buf],
  ] as const) {
    if (a === null && name === 'buf') continue;
    if (!(a instanceof Float32Array))
      fail(
        'sgdStep',
        `${name} must be a Float32Array${name === 'buf' ? ' or null' : ''}, received ${describeValue(a)}`,
      );
    if (a.length !== n) fail('sgdStep', `${name} must have w's length ${n}, received length ${a.length}`);
  }
  kernels.sgd(w, g, buf, s);
}
