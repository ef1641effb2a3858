import { Tensor } from '@tsdl/tensor';
import { fail, fmtShape } from './errors.js';

/**
 * Supervised windows over a time series, with no look-ahead: sample i has input
 * `series[i .. i+window-1]` and target `series[i+window .. i+window+horizon-1]`.
 * A 1-d series (Tensor or numbers) gives `x: [n, window]`, `y: [n, horizon]`; a 2-d `[time, features]`
 * tensor gives `x: [n, window, features]`, `y: [n, horizon, features]`; n = length - window - horizon + 1.
 * Numbers become float32; a tensor keeps its dtype.
 */
export function slidingWindows(
  series: Tensor | ArrayLike<number>,
  window: number,
  horizon = 1,
): { x: Tensor; y: Tensor } {
  const op = 'slidingWindows';
  if (!Number.isInteger(window) || window < 1)
    fail(op, `window must be a positive integer, received ${window}`);
  if (!Number.isInteger(horizon) || horizon < 1)
    fail(op, `horizon must be a positive integer, received ${horizon}`);
  let data: Tensor['data'];
  let len: number;
  let feat: number[];
  if (series instanceof Tensor) {
    if (series.ndim !== 1 && series.ndim !== 2) {
      fail(op, `series must be 1-d [time] or 2-d [time, features], received shape ${fmtShape(series.shape)}`);
    }
    data = series.toTypedArray();
    len = series.shape[0]!;
    feat = series.shape.slice(1);
  } else {
    data = Float32Array.from(series);
    len = data.length;
    feat = [];
  }
  const f = feat[0] ?? 1;
  const n = len - window - horizon + 1;
  if (n < 1) fail(op, `series of length ${len} is too short for window ${window} + horizon ${horizon}`);
  const Ctor = data.constructor as new (n: number) => Tensor['data'];
  const x = new Ctor(n * window * f);
  const y = new Ctor(n * horizon * f);
  for (let i = 0; i < n; i++) {
    x.set(data.subarray(i * f, (i + window) * f) as never, i * window * f);
    y.set(data.subarray((i + window) * f, (i + window + horizon) * f) as never, i * horizon * f);
  }
  return { x: new Tensor(x, [n, window, ...feat]), y: new Tensor(y, [n, horizon, ...feat]) };
}
