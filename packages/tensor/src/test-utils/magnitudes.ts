// Float32 test values as optimizer states see them: gradients and parameters span decades, with exact
// zeros, −0 and subnormals, and (for kernels that must carry them) a few ±Inf and NaN.
import type { Generator } from '../random.js';

/** n values from `gen`: normal × 10^k for k in [−8, 4), 3 % zeros, 2 % −0, 1 % 1e-40 subnormals. */
export function magnitudes(
  gen: Generator,
  n: number,
  opts: { positive?: boolean; nonFinite?: boolean } = {},
): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = gen.random();
    let v = gen.normal() * 10 ** Math.floor(gen.random() * 12 - 8);
    if (r < 0.03) v = 0;
    else if (r < 0.05) v = -0;
    else if (r < 0.06) v = 1e-40;
    else if (opts.nonFinite && r < 0.062) v = Number.POSITIVE_INFINITY;
    else if (opts.nonFinite && r < 0.064) v = Number.NaN;
    x[i] = opts.positive ? Math.abs(v) : v;
  }
  return x;
}
