import { Variable } from '@tsdl/autograd';
import { Generator, randn, type Tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d, BatchNorm2d } from './batch-norm.js';

const arr = (t: Tensor) => Array.from(t.toTypedArray());

/** Per-channel values of an [N, C, ...] tensor, by hand. */
function channels(x: Tensor): number[][] {
  const [N, C] = x.shape as [number, number];
  const inner = x.size / (N * C);
  const v = arr(x);
  return Array.from({ length: C }, (_, c) => {
    const out: number[] = [];
    for (let n = 0; n < N; n++) for (let k = 0; k < inner; k++) out.push(v[(n * C + c) * inner + k]!);
    return out;
  });
}
const meanOf = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const varOf = (a: number[], correction: number) => {
  const m = meanOf(a);
  return a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - correction);
};

describe('BatchNorm1d / BatchNorm2d', () => {
  it('holds PyTorch state-dict keys, with num_batches_tracked an int32 scalar', () => {
    const bn = new BatchNorm2d(3);
    const sd = bn.stateDict();
    expect(Object.keys(sd)).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(sd.num_batches_tracked!.dtype).toBe('int32');
    expect(sd.num_batches_tracked!.shape).toEqual([]);
    expect(arr(sd.running_var!)).toEqual([1, 1, 1]);
    expect(Object.keys(new BatchNorm1d(3, { affine: false, trackRunningStats: false }).stateDict())).toEqual(
      [],
    );
  });

  it('updates running statistics with momentum 0.1 and the unbiased batch variance (2-D input)', () => {
    const bn = new BatchNorm1d(3);
    const x = randn([5, 3], { generator: new Generator(1) })
      .mul(2)
      .add(1);
    const y = bn.forward(x);
    const cs = channels(x);
    expect(
      arr(bn.runningMean!)
        .map((v, c) => v - 0.1 * meanOf(cs[c]!))
        .every((d) => Math.abs(d) < 1e-6),
    ).toBe(true);
    expect(
      arr(bn.runningVar!)
        .map((v, c) => v - (0.9 + 0.1 * varOf(cs[c]!, 1)))
        .every((d) => Math.abs(d) < 1e-5),
    ).toBe(true);
    expect(bn.numBatchesTracked).toBe(1);
    // The batch itself is normalised with the biased variance.
    const yc = channels(y.data);
    for (let c = 0; c < 3; c++) {
      expect(meanOf(yc[c]!)).toBeCloseTo(0, 5);
      const v = varOf(cs[c]!, 0);
      expect(varOf(yc[c]!, 0)).toBeCloseTo(v / (v + 1e-5), 4);
    }
  });

  it('reduces over N and the spatial axes for [N, C, L] and [N, C, H, W]', () => {
    const g = new Generator(2);
    for (const [bn, x] of [
      [new BatchNorm1d(2, { momentum: 0.3 }), randn([3, 2, 4], { generator: g })],
      [new BatchNorm2d(2, { momentum: 0.3 }), randn([2, 2, 3, 3], { generator: g })],
    ] as const) {
      bn.forward(x);
      const cs = channels(x);
      arr(bn.runningMean!).forEach((v, c) => {
        expect(v).toBeCloseTo(0.3 * meanOf(cs[c]!), 6);
      });
      arr(bn.runningVar!).forEach((v, c) => {
        expect(v).toBeCloseTo(0.7 + 0.3 * varOf(cs[c]!, 1), 5);
      });
    }
  });

  it('with momentum null keeps a cumulative average over batches', () => {
    const g = new Generator(3);
    const bn = new BatchNorm1d(2, { momentum: null });
    const a = randn([4, 2], { generator: g });
    const b = randn([4, 2], { generator: g }).add(3);
    bn.forward(a);
    bn.forward(b);
    expect(bn.numBatchesTracked).toBe(2);
    const [ca, cb] = [channels(a), channels(b)];
    arr(bn.runningMean!).forEach((v, c) => {
      expect(v).toBeCloseTo((meanOf(ca[c]!) + meanOf(cb[c]!)) / 2, 5);
    });
  });

  it('uses running statistics in eval and does not update them', () => {
    const g = new Generator(4);
    const bn = new BatchNorm2d(2);
    bn.forward(randn([4, 2, 3, 3], { generator: g }).add(2));
    bn.weight!.data = randn([2], { generator: g });
    bn.bias!.data = randn([2], { generator: g });
    bn.eval();
    const [rm, rv, w, b] = [bn.runningMean!, bn.runningVar!, bn.weight!.data, bn.bias!.data].map(
      arr,
    ) as number[][];
    const x = randn([2, 2, 2, 2], { generator: g });
    const y = bn.forward(x);
    const xs = arr(x);
    const ys = arr(y.data);
    xs.forEach((v, i) => {
      const c = Math.floor(i / 4) % 2;
      expect(ys[i]).toBeCloseTo(((v - rm![c]!) / Math.sqrt(rv![c]! + 1e-5)) * w![c]! + b![c]!, 5);
    });
    expect(arr(bn.runningMean!)).toEqual(rm);
    expect(bn.numBatchesTracked).toBe(1);
  });

  it('without running statistics normalises with batch statistics in eval too', () => {
    const bn = new BatchNorm1d(2, { trackRunningStats: false }).eval();
    const y = bn.forward(randn([6, 2], { generator: new Generator(5) }).mul(3));
    for (const c of channels(y.data)) expect(meanOf(c)).toBeCloseTo(0, 5);
  });

  it('back-propagates to input, weight and bias', () => {
    const bn = new BatchNorm1d(3);
    const x = new Variable(randn([4, 3]), true);
    const y = bn.forward(x);
    y.mul(y).sum().backward();
    expect(x.grad?.shape).toEqual([4, 3]);
    // d/dbias Σ y² = 2 Σ y = 0 per channel (normalised batch); d/dweight = 2 Σ x̂² = 2·N·v/(v+eps).
    for (const v of arr(bn.bias!.grad!)) expect(v).toBeCloseTo(0, 4);
    for (const v of arr(bn.weight!.grad!)) expect(v).toBeCloseTo(8, 2);
  });

  it('rejects wrong ranks, wrong channel counts and single-value batches in training', () => {
    expect(() => new BatchNorm2d(3).forward(randn([2, 3, 4]))).toThrow(
      /BatchNorm2d: expected 4-D input with 3 channels on axis 1, received shape \[2,3,4\]/,
    );
    expect(() => new BatchNorm1d(3).forward(randn([2, 4]))).toThrow(
      /BatchNorm1d: expected 2-D or 3-D input with 3 channels/,
    );
    expect(() => new BatchNorm1d(3).forward(randn([1, 3]))).toThrow(/more than one value per channel/);
    expect(new BatchNorm1d(3).eval().forward(randn([1, 3])).shape).toEqual([1, 3]);
  });

  it('loads a PyTorch-style state dict (num_batches_tracked may come as another dtype)', () => {
    const src = new BatchNorm1d(2);
    src.forward(randn([4, 2]));
    const sd = {
      ...src.stateDict(),
      num_batches_tracked: src.stateDict().num_batches_tracked!.to('float64'),
    };
    const dst = new BatchNorm1d(2);
    dst.loadStateDict(sd);
    expect(arr(dst.runningVar!)).toEqual(arr(src.runningVar!));
    expect(dst.getBuffer('num_batches_tracked')!.dtype).toBe('int32');
    expect(dst.numBatchesTracked).toBe(1);
  });
});
