import { describe, expect, it } from 'vitest';
import {
  type BatchNormForwardOptions,
  batchNormBackward,
  batchNormForward,
  batchNormStats,
} from './batch-norm.js';
import { tensor } from './creation.js';
import { Generator, randn } from './random.js';
import { Tensor } from './tensor.js';
import { expand, permute } from './view.js';

const f64 = (shape: number[], seed: number) =>
  randn(shape, { dtype: 'float64', generator: new Generator(seed) });

/** Channel of flat row-major index k in [N, C, S...]. */
const channelOf = (shape: readonly number[], k: number) => {
  const s = shape.slice(2).reduce((a, b) => a * b, 1);
  return Math.floor(k / s) % shape[1]!;
};

/** Per-element reference: statistics gathered by scanning every element for its channel. */
function naiveForward(
  x: Tensor,
  w: number[] | null,
  b: number[] | null,
  stats: { mean: number[]; variance: number[] } | null,
  eps: number,
) {
  const xs = Array.from(x.toTypedArray());
  const C = x.shape[1]!;
  let mean: number[];
  let variance: number[];
  if (stats) {
    ({ mean, variance } = stats);
  } else {
    const groups = Array.from({ length: C }, (_, c) => xs.filter((_, k) => channelOf(x.shape, k) === c));
    mean = groups.map((g) => g.reduce((a, v) => a + v, 0) / g.length);
    variance = groups.map((g, c) => g.reduce((a, v) => a + (v - mean[c]!) ** 2, 0) / g.length);
  }
  const y = xs.map((v, k) => {
    const c = channelOf(x.shape, k);
    return ((v - mean[c]!) / Math.sqrt(variance[c]! + eps)) * (w?.[c] ?? 1) + (b?.[c] ?? 0);
  });
  return { y, mean, variance };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]!)));
  }
}

describe('batchNormForward', () => {
  for (const shape of [
    [3, 2, 4, 5],
    [6, 3],
    [4, 3, 5],
  ]) {
    it(`matches the naive reference in training for [${shape}]`, () => {
      const x = f64(shape, 1);
      const C = shape[1]!;
      const w = Array.from({ length: C }, (_, c) => 0.5 + c);
      const b = Array.from({ length: C }, (_, c) => c - 1);
      const out = batchNormForward(
        x,
        new Tensor(Float64Array.from(w), [C]),
        new Tensor(Float64Array.from(b), [C]),
        {
          training: true,
          eps: 1e-3,
        },
      );
      const ref = naiveForward(x, w, b, null, 1e-3);
      expect(out.y.shape).toEqual(shape);
      expect(out.y.dtype).toBe('float64');
      expectClose(out.y.toTypedArray(), ref.y, 1e-12);
      expectClose(out.mean.toTypedArray(), ref.mean, 1e-12);
      expectClose(
        out.invStd.toTypedArray(),
        ref.variance.map((v) => 1 / Math.sqrt(v + 1e-3)),
        1e-12,
      );
    });
  }

  it('uses the running statistics in eval and treats null weight/bias as ones/zeros', () => {
    const x = f64([4, 3, 2, 2], 2);
    const mean = [0.1, -0.2, 0.3];
    const variance = [0.5, 2, 1.5];
    const out = batchNormForward(x, null, null, {
      training: false,
      runningMean: new Tensor(Float64Array.from(mean), [3]),
      runningVar: new Tensor(Float64Array.from(variance), [3]),
    });
    expectClose(out.y.toTypedArray(), naiveForward(x, null, null, { mean, variance }, 1e-5).y, 1e-12);
    expectClose(out.mean.toTypedArray(), mean, 0);
  });

  it('reads non-contiguous input and keeps float32', () => {
    // [N, H, W, C] permuted to [N, C, H, W]: a strided view.
    const nhwc = randn([2, 3, 4, 5], { generator: new Generator(3) });
    const x = permute(nhwc, [0, 3, 1, 2]);
    expect(x.isContiguous()).toBe(false);
    const out = batchNormForward(x, null, null, { training: true });
    expect(out.y.dtype).toBe('float32');
    expectClose(out.y.toTypedArray(), naiveForward(x, null, null, null, 1e-5).y, 1e-5);
  });

  it('stays accurate when the mean dwarfs the spread (float64 two-pass statistics)', () => {
    const noise = randn([64, 2, 8], { generator: new Generator(4) }).toTypedArray();
    const x = new Tensor(
      Float32Array.from(noise, (v) => 1e4 + v),
      [64, 2, 8],
    );
    const out = batchNormForward(x, null, null, { training: true, eps: 0 });
    const ref = naiveForward(x, null, null, null, 0);
    expectClose(
      out.invStd.toTypedArray(),
      ref.variance.map((v) => 1 / Math.sqrt(v)),
      1e-9,
    );
  });

  it('rejects bad arguments with messages naming them', () => {
    const x = f64([2, 3, 4], 5);
    expect(() => batchNormForward(f64([3], 0), null, null, { training: true })).toThrow(/at least 2-d/);
    expect(() => batchNormForward(x, null, null, { training: false })).toThrow(/runningMean and runningVar/);
    expect(() => batchNormForward(x, f64([2], 0), null, { training: true })).toThrow(
      /weight must have shape \[3\], received \[2\]/,
    );
  });
});

describe('batchNormBackward', () => {
  /** L = Σ y·r, whose gradients are batchNormBackward(r, ...); running stats given means eval. */
  function loss(x: Tensor, w: Tensor, b: Tensor, r: Float64Array, opts: BatchNormForwardOptions): number {
    const y = batchNormForward(x, w, b, opts).y.toTypedArray();
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += y[i]! * r[i]!;
    return sum;
  }

  /** Central differences of `loss` with respect to every element of `t` (perturbed in place). */
  function numericGrad(t: Tensor, f: () => number): number[] {
    const h = 1e-6;
    return Array.from(t.data, (_, i) => {
      const v = t.data[i]!;
      t.data[i] = v + h;
      const up = f();
      t.data[i] = v - h;
      const down = f();
      t.data[i] = v;
      return (up - down) / (2 * h);
    });
  }

  for (const training of [true, false]) {
    for (const shape of [
      [3, 2, 3, 2],
      [5, 3],
    ]) {
      it(`matches finite differences (${training ? 'training' : 'eval'}, [${shape}])`, () => {
        const C = shape[1]!;
        const x = f64(shape, 6);
        const w = f64([C], 7);
        const b = f64([C], 8);
        const r = f64(shape, 9).toTypedArray() as Float64Array;
        const runningVar = new Tensor(
          Float64Array.from({ length: C }, (_, c) => 0.5 + c),
          [C],
        );
        const opts: BatchNormForwardOptions = training
          ? { training, eps: 1e-3 }
          : { training, runningMean: f64([C], 10), runningVar, eps: 1e-3 };
        const fwd = batchNormForward(x, w, b, opts);
        const g = batchNormBackward(new Tensor(r, shape), x, fwd.mean, fwd.invStd, w, training);
        const f = () => loss(x, w, b, r, opts);
        expectClose(g.dx.toTypedArray(), numericGrad(x, f), 1e-6);
        expectClose(g.dweight.toTypedArray(), numericGrad(w, f), 1e-6);
        expectClose(g.dbias.toTypedArray(), numericGrad(b, f), 1e-6);
      });
    }
  }

  it('matches the naive closed form with null weight, float32', () => {
    const shape = [4, 3, 3, 3];
    const x = randn(shape, { generator: new Generator(11) });
    const dy = randn(shape, { generator: new Generator(12) });
    const { mean, invStd } = batchNormForward(x, null, null, { training: true });
    const g = batchNormBackward(dy, x, mean, invStd, null);
    expect(g.dx.dtype).toBe('float32');
    const xs = x.toTypedArray();
    const ds = dy.toTypedArray();
    const mu = mean.toTypedArray();
    const is = invStd.toTypedArray();
    const C = shape[1]!;
    const M = xs.length / C;
    const xhat = Array.from(xs, (v, k) => (v - mu[channelOf(shape, k)]!) * is[channelOf(shape, k)]!);
    const sumDy = new Array<number>(C).fill(0);
    const sumDyXhat = new Array<number>(C).fill(0);
    ds.forEach((d, k) => {
      sumDy[channelOf(shape, k)]! += d;
      sumDyXhat[channelOf(shape, k)]! += d * xhat[k]!;
    });
    const dx = Array.from(ds, (d, k) => {
      const c = channelOf(shape, k);
      return (is[c]! / M) * (M * d - sumDy[c]! - xhat[k]! * sumDyXhat[c]!);
    });
    expectClose(g.dx.toTypedArray(), dx, 1e-5);
    expectClose(g.dweight.toTypedArray(), sumDyXhat, 1e-5);
    expectClose(g.dbias.toTypedArray(), sumDy, 1e-5);
  });

  it('reads a broadcast (expanded) dy like its contiguous copy', () => {
    const x = f64([3, 2, 2, 2], 13);
    const dy = expand(f64([1, 2, 1, 1], 14), [3, 2, 2, 2]);
    expect(dy.isContiguous()).toBe(false);
    const { mean, invStd } = batchNormForward(x, null, null, { training: true });
    const a = batchNormBackward(dy, x, mean, invStd, null);
    const b = batchNormBackward(dy.contiguous(), x, mean, invStd, null);
    expectClose(a.dx.toTypedArray(), b.dx.toTypedArray(), 0);
    expectClose(a.dbias.toTypedArray(), b.dbias.toTypedArray(), 0);
  });

  it('rejects a dy whose shape differs from x', () => {
    const x = f64([2, 3], 0);
    const { mean, invStd } = batchNormForward(x, null, null, { training: true });
    expect(() => batchNormBackward(f64([3, 2], 1), x, mean, invStd, null)).toThrow(
      /dy must have the shape of x/,
    );
  });
});

describe('batchNormStats', () => {
  it('gives per-channel mean and biased variance over N and the spatial dims', () => {
    const x = tensor([
      [
        [1, 2],
        [3, 5],
      ],
      [
        [2, 4],
        [-1, 1],
      ],
    ]); // [N=2, C=2, L=2]
    const { mean, var: v, count } = batchNormStats(x);
    expect(count).toBe(4);
    expect(Array.from(mean.toTypedArray())).toEqual([9 / 4, 2]);
    const m0 = 9 / 4;
    const v0 = ((1 - m0) ** 2 + (2 - m0) ** 2 + (2 - m0) ** 2 + (4 - m0) ** 2) / 4;
    const v1 = ((3 - 2) ** 2 + (5 - 2) ** 2 + (-1 - 2) ** 2 + (1 - 2) ** 2) / 4;
    expect(v.toTypedArray()[0]).toBeCloseTo(v0, 12);
    expect(v.toTypedArray()[1]).toBeCloseTo(v1, 12);
  });
});
