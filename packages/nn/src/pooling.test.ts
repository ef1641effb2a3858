import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Variable } from '@tsdl/autograd';
import { Generator, maxPool2dWithIndices, randn, type Tensor } from '@tsdl/tensor';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { AvgPool2d, MaxPool2d, MaxUnpool2d } from './pooling.js';
import { decodeSafetensors } from './safetensors.js';
import { Sequential } from './sequential.js';

/** Direct-loop pooling over NCHW (padding cells are -Infinity for max, 0 for avg). */
function referencePool(
  x: Tensor,
  k: [number, number],
  s: [number, number],
  p: [number, number],
  kind: 'max' | 'avg',
  countIncludePad = true,
): { shape: number[]; data: number[] } {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const OH = Math.floor((H + 2 * p[0] - k[0]) / s[0]) + 1;
  const OW = Math.floor((W + 2 * p[1] - k[1]) / s[1]) + 1;
  const data: number[] = [];
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < OH; i++)
        for (let j = 0; j < OW; j++) {
          let acc = kind === 'max' ? -Infinity : 0;
          let count = 0;
          for (let a = 0; a < k[0]; a++)
            for (let b = 0; b < k[1]; b++) {
              const y = i * s[0] - p[0] + a;
              const z = j * s[1] - p[1] + b;
              if (y < -p[0] || y >= H + p[0] || z < -p[1] || z >= W + p[1]) continue;
              const inside = y >= 0 && y < H && z >= 0 && z < W;
              if (inside || countIncludePad) count++;
              if (!inside) continue;
              const v = x.get(n, c, y, z);
              acc = kind === 'max' ? Math.max(acc, v) : acc + v;
            }
          data.push(kind === 'max' ? acc : acc / count);
        }
  return { shape: [N, C, OH, OW], data };
}

function expectClose(y: Variable, ref: { shape: number[]; data: number[] }) {
  expect(y.shape).toEqual(ref.shape);
  const got = y.data.toTypedArray();
  for (let i = 0; i < ref.data.length; i++) expect(got[i]).toBeCloseTo(ref.data[i]!, 5);
}

describe('MaxPool2d', () => {
  it('defaults stride to the kernel size and takes window maxima', () => {
    const x = randn([2, 3, 6, 5], { generator: new Generator(1) });
    const pool = new MaxPool2d(2);
    expect(pool.stride).toEqual([2, 2]);
    expectClose(pool.forward(x), referencePool(x, [2, 2], [2, 2], [0, 0], 'max'));
    expectClose(
      new MaxPool2d([3, 2], { stride: 1, padding: 1 }).forward(x),
      referencePool(x, [3, 2], [1, 1], [1, 1], 'max'),
    );
  });

  it('routes the gradient to each window maximum only', () => {
    const x = new Variable(randn([1, 1, 4, 4], { generator: new Generator(2) }), true);
    new MaxPool2d(2).forward(x).sum().backward();
    const g = Array.from(x.grad!.toTypedArray());
    expect(g.filter((v) => v === 1)).toHaveLength(4);
    expect(g.filter((v) => v === 0)).toHaveLength(12);
    for (let bi = 0; bi < 2; bi++)
      for (let bj = 0; bj < 2; bj++) {
        let best = -Infinity;
        let at = -1;
        for (let a = 0; a < 2; a++)
          for (let b = 0; b < 2; b++) {
            const idx = (bi * 2 + a) * 4 + bj * 2 + b;
            if (x.data.get(0, 0, bi * 2 + a, bj * 2 + b) > best)
              [best, at] = [x.data.get(0, 0, bi * 2 + a, bj * 2 + b), idx];
          }
        expect(g[at]).toBe(1);
      }
  });

  it('rejects padding over half the kernel', () => {
    expect(() => new MaxPool2d(2, { padding: 2 })).toThrow(
      /MaxPool2d: padding must be integers between 0 and half the kernel size/,
    );
  });
});

describe('AvgPool2d', () => {
  it('averages windows, counting padding or not', () => {
    const x = randn([2, 2, 5, 5], { generator: new Generator(3) });
    expectClose(new AvgPool2d(2).forward(x), referencePool(x, [2, 2], [2, 2], [0, 0], 'avg'));
    expectClose(
      new AvgPool2d(3, { stride: 2, padding: 1 }).forward(x),
      referencePool(x, [3, 3], [2, 2], [1, 1], 'avg', true),
    );
    expectClose(
      new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }).forward(x),
      referencePool(x, [3, 3], [2, 2], [1, 1], 'avg', false),
    );
  });

  it('spreads the gradient evenly over each window', () => {
    const x = new Variable(randn([1, 1, 4, 4]), true);
    new AvgPool2d(2).forward(x).sum().backward();
    expect(Array.from(x.grad!.toTypedArray())).toEqual(new Array(16).fill(0.25));
  });
});

describe('MaxPool2d with returnIndices', () => {
  const x = () => new Variable(randn([2, 3, 7, 6], { generator: new Generator(5) }), true);

  it('returns [values, indices] typed by the option, values as without it', () => {
    const input = x();
    const plain = new MaxPool2d(3, { stride: 2, padding: 1 });
    const withIdx = new MaxPool2d(3, { stride: 2, padding: 1, returnIndices: true });
    const y = plain.forward(input);
    const [values, indices] = withIdx.forward(input);
    expectTypeOf(y).toEqualTypeOf<Variable>();
    expectTypeOf(withIdx.forward(input)).toEqualTypeOf<[Variable, Variable]>();
    expectTypeOf(new MaxPool2d(2).forward(input)).toEqualTypeOf<Variable>();
    expect(withIdx.returnIndices).toBe(true);
    expect(values.data.toArray()).toEqual(y.data.toArray());
    const ref = maxPool2dWithIndices(input.data, { kernelSize: 3, stride: 2, padding: 1 });
    expect(indices.dtype).toBe('int32');
    expect(indices.requiresGrad).toBe(false);
    expect(indices.data.toArray()).toEqual(ref.indices.toArray());
  });
});

describe('MaxUnpool2d', () => {
  it('puts the maxima back in place; the gradient reaches the input through both layers', () => {
    const input = new Variable(randn([1, 2, 5, 7], { generator: new Generator(6) }), true);
    const [values, indices] = new MaxPool2d(2, { returnIndices: true }).forward(input);
    const unpool = new MaxUnpool2d(2);
    const y = unpool.forward(values, indices, input.shape);
    expect(y.shape).toEqual([1, 2, 5, 7]);
    const xs = input.data.toTypedArray();
    const ys = y.data.toTypedArray();
    const kept = Array.from(ys).filter((v, i) => v === xs[i]).length;
    expect(kept).toBe(values.size); // one kept cell per window (stride = kernel: no shared maxima)
    for (let i = 0; i < ys.length; i++) if (ys[i] !== xs[i]) expect(ys[i]).toBe(0);
    y.sum().backward();
    // d(sum)/dx is 1 exactly at the kept maxima.
    expect(Array.from(input.grad!.toTypedArray())).toEqual(Array.from(ys, (v, i) => (v === xs[i] ? 1 : 0)));
  });

  it("defaults to PyTorch's size (in − 1)·stride − 2·padding + kernel, else needs outputSize", () => {
    const input = randn([1, 1, 5, 7], { generator: new Generator(7) });
    const [values, indices] = new MaxPool2d(3, { stride: 2, padding: 1, returnIndices: true }).forward(input);
    const unpool = new MaxUnpool2d(3, { stride: 2, padding: 1 });
    expect(unpool.forward(values, indices).shape).toEqual([1, 1, 5, 7]);
    expect(unpool.forward(values, indices).data.toArray()).toEqual(
      unpool.forward(values, indices, [1, 1, 5, 7]).data.toArray(),
    );
    expect(() => unpool.forward(values, indices, [5, 9])).toThrow(
      /maxUnpool2d: outputSize \[5,9\] is out of range/,
    );
  });

  it('validates its window and names itself', () => {
    expect(new MaxUnpool2d([3, 2], { stride: 1 }).stride).toEqual([1, 1]);
    expect(() => new MaxUnpool2d(2, { padding: 2 })).toThrow(/MaxUnpool2d: padding must be integers/);
    expect(() => new MaxUnpool2d(0)).toThrow(/MaxUnpool2d: kernelSize must be positive integers/);
  });

  it('chains after a pooling layer with returnIndices through forward arguments, not Sequential', () => {
    // Like torch: Sequential passes one value on, so the pair must be split by hand.
    const seq = new Sequential(new MaxPool2d(2, { returnIndices: true }));
    const out = seq.forward(randn([1, 1, 4, 4])) as unknown as [Variable, Variable];
    expect(out).toHaveLength(2);
    expect(new MaxUnpool2d(2).forward(out[0], out[1]).shape).toEqual([1, 1, 4, 4]);
  });
});

// PyTorch 1.13's F.max_pool2d(return_indices=True) and F.max_unpool2d on the cases of
// fixtures/make-torch-parity.py (pool_indices): indices and unpooled planes exactly, gradients to 1e-6.
describe('PyTorch parity: pooling indices and MaxUnpool2d', () => {
  const path = fileURLToPath(
    new URL('../../../fixtures/torch-parity-pool-indices.safetensors', import.meta.url),
  );
  const { tensors, metadata } = decodeSafetensors(readFileSync(path));
  const cases = Object.keys(metadata).filter((k) => k !== 'torch');
  it('has the six cases', () =>
    expect(cases).toEqual(['k2', 'k3s2p1', 'ceil', 'dilation', 'ties', 'unbatched']));
  for (const name of cases) {
    it(name, () => {
      const cfg = JSON.parse(metadata[name]!) as {
        kernelSize: [number, number];
        stride: [number, number];
        padding: [number, number];
        dilation: [number, number];
        ceilMode: boolean;
        unpoolKernelSize: [number, number];
        outputSize: [number, number] | null;
      };
      const t = (k: string) => tensors[`${name}.${k}`]!;
      const input = new Variable(t('input'), true);
      const [values, indices] = new MaxPool2d(cfg.kernelSize, { ...cfg, returnIndices: true }).forward(input);
      const bits = (v: Tensor) => Array.from(new Int32Array(Float32Array.from(v.toTypedArray()).buffer));
      expect(bits(values.data)).toEqual(bits(t('values')));
      expect(indices.data.toArray()).toEqual(t('indices').toArray());
      const unpool = new MaxUnpool2d(cfg.unpoolKernelSize, cfg).forward(
        values,
        indices,
        cfg.outputSize ?? undefined,
      );
      expect(bits(unpool.data)).toEqual(bits(t('unpool')));
      unpool.mul(t('w')).sum().backward();
      const got = input.grad!.toTypedArray();
      const want = t('grad.input').toTypedArray();
      for (let i = 0; i < want.length; i++)
        expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(want[i]!)));
    });
  }
});
