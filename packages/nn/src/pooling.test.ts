import { Variable } from '@tsdl/autograd';
import { Generator, randn, type Tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { AvgPool2d, MaxPool2d } from './pooling.js';

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
