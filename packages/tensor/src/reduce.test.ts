import { describe, expect, it } from 'vitest';
import {
  arange,
  argmax,
  argmin,
  max,
  mean,
  min,
  randn,
  slice,
  std,
  sum,
  tensor,
  var as variance,
} from './index.js';
import { Tensor } from './tensor.js';

const NaN_ = Number.NaN;

describe('sum / mean', () => {
  const x = arange(12).reshape([3, 4]);
  it('reduces all, one or several axes, with keepdims', () => {
    expect(sum(x).toArray()).toBe(66);
    expect(sum(x, 0).toArray()).toEqual([12, 15, 18, 21]);
    expect(sum(x, -1).toArray()).toEqual([6, 22, 38]);
    expect(sum(x, 1, true).shape).toEqual([3, 1]);
    expect(sum(x, undefined, true).shape).toEqual([1, 1]);
    expect(sum(x, [0, 1]).toArray()).toBe(66);
    expect(mean(x, 0).toArray()).toEqual([4, 5, 6, 7]);
    expect(x.sum(1).toArray()).toEqual([6, 22, 38]);
  });
  it('keeps int32 for sum and gives float32 for mean', () => {
    expect(sum(x).dtype).toBe('int32');
    expect(mean(x).dtype).toBe('float32');
    expect(sum(x.to('float64')).dtype).toBe('float64');
    expect(mean(x.to('float64')).dtype).toBe('float64');
  });
  it('works on non-contiguous views and non-adjacent axes', () => {
    const y = arange(24).reshape([2, 3, 4]);
    const t = y.permute([2, 0, 1]); // [4,2,3]
    expect(sum(t, 0).toArray()).toEqual(sum(y, 2).toArray());
    expect(sum(t, [1, 2]).toArray()).toEqual(sum(y, [0, 1]).toArray());
    expect(max(t, 1, true).toArray()).toEqual(max(y, 0, true).permute([2, 0, 1]).toArray());
    expect(sum(y.slice(2, 1, 3), 2).toArray()).toEqual([
      [3, 11, 19],
      [27, 35, 43],
    ]); // sliced (strided) input
    expect(sum(y, [0, 2]).toArray()).toEqual(
      [0, 1, 2].map((j) =>
        [0, 1].reduce((s, i) => s + [0, 1, 2, 3].reduce((u, k) => u + i * 12 + j * 4 + k, 0), 0),
      ),
    );
    // offset view (contiguous rows 1..2)
    const rows = new Tensor(x.data, [2, 4], [4, 1], 4);
    expect(sum(rows, 1).toArray()).toEqual([22, 38]);
  });
  it('accumulates float32 in float64', () => {
    const big = new Float32Array(100001).fill(0.1);
    const s = sum(tensor(big)).item();
    expect(Math.abs(s - Math.fround(100001 * Math.fround(0.1)))).toBeLessThan(1e-2);
  });
  it('handles empty reductions and 0-d tensors', () => {
    expect(sum(tensor(new Float32Array(0))).item()).toBe(0);
    expect(Number.isNaN(mean(tensor(new Float32Array(0))).item())).toBe(true);
    expect(sum(tensor(5)).item()).toBe(5);
    expect(sum(tensor(5), 0).item()).toBe(5);
    expect(sum(x, []).toArray()).toEqual(x.toArray());
  });
  it('rejects bad axes naming the op', () => {
    expect(() => sum(x, 2)).toThrow(/sum: axis 2 is out of range for a tensor of rank 2/);
    expect(() => mean(x, [1, -1])).toThrow(/mean: axis contains duplicates/);
  });
});

describe('sum / mean over non-adjacent axes of a contiguous tensor (read in place)', () => {
  // Oracle: the same values as a strided (step-2) view, which takes the gathered path.
  const shapes: [number[], number[]][] = [
    [
      [7, 5, 3, 11],
      [0, 2, 3],
    ], // conv bias gradient layout
    [
      [3, 4, 5, 6],
      [0, 2],
    ],
    [
      [3, 4, 5, 6],
      [1, 3],
    ],
    [
      [2, 3, 4, 5, 3],
      [0, 2, 4],
    ],
    [
      [4, 1, 3, 9],
      [0, 3],
    ],
    [
      [5, 0, 3, 2],
      [0, 2],
    ],
  ];
  for (const [shape, axes] of shapes) {
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      it(`equals the gathered path bit for bit: ${JSON.stringify(shape)} axes ${JSON.stringify(axes)} ${dtype}`, () => {
        const last = shape[shape.length - 1]!;
        const wide = randn([...shape.slice(0, -1), 2 * last], { dtype: 'float32' }).mul(1000);
        const strided = slice(dtype === 'float32' ? wide : wide.to(dtype), -1, 0, 2 * last, 2);
        const x = strided.contiguous();
        expect(x.isContiguous()).toBe(true);
        for (const keepdims of [false, true]) {
          const got = sum(x, axes, keepdims);
          const want = sum(strided, axes, keepdims);
          expect(got.shape).toEqual(want.shape);
          expect(got.dtype).toBe(want.dtype);
          expect(got.toTypedArray()).toEqual(want.toTypedArray());
          const gm = mean(x, axes, keepdims);
          expect(gm.dtype).toBe(mean(strided, axes, keepdims).dtype);
          expect(gm.toTypedArray()).toEqual(mean(strided, axes, keepdims).toTypedArray());
        }
        // And against a plain float64 loop over the definition.
        const kept = shape.map((_, d) => d).filter((d) => !axes.includes(d));
        const got = sum(x, axes).toTypedArray();
        const xs = x.toTypedArray();
        const want = new Float64Array(got.length);
        const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
        for (let i = 0; i < xs.length; i++) {
          let o = 0;
          for (const d of kept) o = o * shape[d]! + (Math.floor(i / strides[d]!) % shape[d]!);
          want[o]! += xs[i]!;
        }
        for (let i = 0; i < got.length; i++)
          expect(got[i]!).toBeCloseTo(want[i]!, dtype === 'float32' ? 0 : 6);
      });
    }
  }
});

describe('max / min / argmax / argmin', () => {
  const x = tensor([
    [1, 5, 5],
    [7, 2, 7],
  ]);
  it('values and first indices of ties', () => {
    expect(max(x).item()).toBe(7);
    expect(min(x, 1).toArray()).toEqual([1, 2]);
    expect(max(x, 0, true).toArray()).toEqual([[7, 5, 7]]);
    expect(argmax(x, 1).toArray()).toEqual([1, 0]);
    expect(argmin(x, 0).toArray()).toEqual([0, 1, 0]);
    expect(argmax(x).item()).toBe(3); // flattened
    expect(argmax(x).dtype).toBe('int32');
    expect(argmax(x, undefined, true).shape).toEqual([1, 1]);
    expect(argmax(x.T, 0).toArray()).toEqual([1, 0]);
    // flattened index follows the view's logical order, not storage order
    expect(
      argmax(
        tensor([
          [1, 9],
          [9, 1],
        ]).T,
      ).item(),
    ).toBe(1);
    expect(
      argmin(
        tensor([
          [5, 0],
          [0, 5],
        ]).T,
      ).item(),
    ).toBe(1);
    expect(x.argmin(1, true).shape).toEqual([2, 1]);
  });
  it('NaN propagates and is picked by argmax/argmin (first NaN)', () => {
    const n = tensor([1, NaN_, 3, NaN_]);
    expect(Number.isNaN(max(n).item())).toBe(true);
    expect(Number.isNaN(min(n).item())).toBe(true);
    expect(argmax(n).item()).toBe(1);
    expect(argmin(tensor([1, NaN_, 0])).item()).toBe(1);
    expect(Number.isNaN(max(tensor([NaN_, 1])).item())).toBe(true);
  });
  it('keeps dtype and errors on empty reductions', () => {
    expect(max(arange(5)).dtype).toBe('int32');
    expect(() => max(tensor(new Float32Array(0)))).toThrow(/^max: .*empty/);
    expect(() => argmin(tensor(new Float32Array(0)))).toThrow(/^argmin: .*empty/);
    // an empty output is fine, like PyTorch
    expect(max(tensor(new Float32Array(0), { shape: [3, 0] }), 0).shape).toEqual([0]);
    expect(() => argmax(x, [0] as unknown as number)).toThrow(/argmax: axis must be a single number/);
  });
});

describe('var / std', () => {
  it('uses Bessel correction by default and accepts correction', () => {
    const x = tensor(
      [
        [1, 2, 3, 4],
        [2, 4, 6, 8],
      ],
      { dtype: 'float64' },
    );
    expect(variance(x, 1).toArray()).toEqual([5 / 3, 20 / 3]);
    expect(variance(x, 1, false, 0).toArray()).toEqual([1.25, 5]);
    expect(std(x, 1, true).toArray()).toEqual([[Math.sqrt(5 / 3)], [Math.sqrt(20 / 3)]]);
    expect(x.var().item()).toBeCloseTo(37.5 / 7, 12); // mean 3.75, Σ(x-m)² = 37.5
    expect(variance(arange(4)).dtype).toBe('float32');
    expect(Number.isNaN(variance(tensor([1])).item())).toBe(true); // N - 1 = 0
    expect(variance(tensor([1, 2]), 0, false, 3).item()).toBe(Infinity);
  });
  it('matches a two-pass float64 reference on random data', () => {
    const x = randn([7, 33], { dtype: 'float64' });
    const v = variance(x, 0).toTypedArray();
    for (let j = 0; j < 33; j++) {
      const col = Array.from({ length: 7 }, (_, i) => x.get(i, j));
      const m = col.reduce((a, b) => a + b) / 7;
      const ref = col.reduce((a, b) => a + (b - m) ** 2, 0) / 6;
      expect(v[j]).toBeCloseTo(ref, 12);
    }
  });
});

describe('performance', () => {
  it('reduces [1000,512] over either axis quickly', () => {
    const x = randn([1000, 512]);
    sum(x, 1);
    const t0 = performance.now();
    for (let k = 0; k < 5; k++) {
      sum(x, 1);
      sum(x, 0);
      max(x, 1);
    }
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
