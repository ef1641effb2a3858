import { Generator, randn, type Tensor, tensor } from '@tsdl/tensor';
import { noGrad } from './grad-mode.js';
import { Variable } from './variable.js';

export interface GradcheckOptions {
  /** Finite-difference step (central differences in float64). */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Seed for the random projection of non-scalar outputs. */
  seed?: number;
}

/**
 * Compares the gradients from backward() with central finite differences, in float64.
 * Non-scalar outputs are projected on a fixed random direction. Returns true or throws with the
 * input, element and both values of the worst mismatch.
 */
export function gradcheck(
  fn: (...xs: Variable[]) => Variable,
  inputs: readonly Tensor[],
  opts: GradcheckOptions = {},
): true {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, seed = 0 } = opts;
  const xs = inputs.map((t) => new Variable(t.dtype === 'int32' ? t : t.to('float64'), t.dtype !== 'int32'));
  const out = fn(...xs);
  const dir = randn(out.shape, { dtype: 'float64', generator: new Generator(seed) });
  const project = (o: Variable): number => {
    const a = o.data.toTypedArray();
    const d = dir.data;
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]! * d[i]!;
    return s;
  };
  out.backward(dir);
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k]!;
    if (!x.requiresGrad) continue;
    const analytic = x.grad?.toTypedArray() ?? new Float64Array(x.size);
    const base = x.data.toTypedArray() as Float64Array;
    for (let i = 0; i < base.length; i++) {
      const probe = (delta: number): number => {
        const p = Float64Array.from(base);
        p[i]! += delta;
        const args = xs.map((v, j) =>
          j === k ? new Variable(tensor(p, { shape: x.shape }), false) : v.detach(),
        );
        return noGrad(() => project(fn(...args)));
      };
      const numeric = (probe(eps) - probe(-eps)) / (2 * eps);
      const a = analytic[i]!;
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
        throw new Error(
          `gradcheck: input ${k} element ${i}: backward gives ${a}, finite differences give ${numeric} (|diff| ${Math.abs(a - numeric).toExponential(2)})`,
        );
      }
    }
  }
  return true;
}
