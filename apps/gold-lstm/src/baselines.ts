import { linalg, Tensor } from '@tsdl/tensor';
import type { Windows } from './windows.js';

/** Persistence (random walk): the next value is the last one seen. */
export function persistence(w: Windows): Float64Array {
  return Float64Array.from(w.last);
}

/**
 * Linear autoregression on the same features and label as the network (prices, or the window's log
 * returns), with an intercept: least squares `[x, 1]·β ≈ y` by `linalg.lstsq` over the training windows.
 */
export class LinearAR {
  private constructor(
    /** β: one weight per feature step, then the intercept. */
    readonly coef: Float64Array,
  ) {}

  static fit(w: Windows): LinearAR {
    const cols = w.steps + 1;
    if (w.count < cols)
      throw new Error(`LinearAR.fit: ${w.count} training windows are too few for ${cols} coefficients`);
    const a = new Float64Array(w.count * cols);
    for (let i = 0; i < w.count; i++) {
      a.set(w.x.subarray(i * w.steps, (i + 1) * w.steps), i * cols);
      a[i * cols + w.steps] = 1;
    }
    const { solution } = linalg.lstsq(
      new Tensor(a, [w.count, cols]),
      new Tensor(Float64Array.from(w.y), [w.count]),
    );
    return new LinearAR(Float64Array.from(solution.toTypedArray()));
  }

  /** The predicted label of one feature row. */
  predictOne(x: ArrayLike<number>): number {
    const s = this.coef.length - 1;
    let y = this.coef[s]!;
    for (let j = 0; j < s; j++) y += this.coef[j]! * x[j]!;
    return y;
  }

  /** Predicted labels of every window. */
  predict(w: Windows): Float64Array {
    return Float64Array.from({ length: w.count }, (_, i) =>
      this.predictOne(w.x.subarray(i * w.steps, (i + 1) * w.steps)),
    );
  }
}
