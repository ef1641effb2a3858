import { describe, expect, it } from 'vitest';
import { Generator, logSoftmax, randn, softmax, tensor } from './index.js';
import { build, closeness } from './test-utils/naive.js';

const generator = new Generator(3);

describe('softmax / logSoftmax', () => {
  it('matches exp(x)/Σexp(x) over every axis, and rows sum to 1', () => {
    const x = randn([3, 4, 5], { generator, dtype: 'float64' });
    for (let axis = -3; axis < 3; axis++) {
      const ax = (axis + 3) % 3;
      const want = build(x.shape, (idx) => {
        let s = 0;
        for (let k = 0; k < x.shape[ax]!; k++) {
          const j = [...idx];
          j[ax] = k;
          s += Math.exp(x.get(...j));
        }
        return Math.exp(x.get(...idx)) / s;
      });
      const y = softmax(x, axis);
      expect(closeness(y, want, 1e-14, 1e-12), `axis ${axis}`).toBeLessThanOrEqual(1);
      expect(closeness(logSoftmax(x, axis), want.log(), 1e-14, 1e-12), `axis ${axis}`).toBeLessThanOrEqual(1);
      // Sum along the axis is 1 everywhere.
      const sums = build(
        x.shape.filter((_, i) => i !== ax),
        (idx) => {
          let s = 0;
          for (let k = 0; k < x.shape[ax]!; k++) {
            const j = [...idx];
            j.splice(ax, 0, k);
            s += y.get(...j);
          }
          return s;
        },
      );
      for (const v of sums.toTypedArray()) expect(v).toBeCloseTo(1, 12);
    }
  });

  it('does not overflow on large inputs (float32)', () => {
    const x = tensor([
      [1000, 1001, 1002],
      [-1000, -1e30, 3e38],
    ]);
    const y = softmax(x);
    expect(y.dtype).toBe('float32');
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const s = e[0]! + e[1]! + e[2]!;
    const r0 = y.toArray() as number[][];
    for (const [i, v] of r0[0]!.entries()) expect(v).toBeCloseTo(e[i]! / s, 6);
    expect(r0[1]).toEqual([0, 0, 1]);
    const l = logSoftmax(x).toArray() as number[][];
    for (const [i, v] of l[0]!.entries()) expect(v).toBeCloseTo(Math.log(e[i]! / s), 5);
    expect(l[1]![2]).toBe(0);
    expect(Number.isFinite(l[1]![0]!)).toBe(true); // exact where softmax underflows to 0
    expect(l[1]![0]!).toBeCloseTo(-1000 - 3e38, -32);
  });

  it('handles non-contiguous input, int32 → float32, and 0-d tensors; checks the axis', () => {
    const x = randn([4, 3], { generator, dtype: 'float64' });
    expect(closeness(softmax(x.T, 1), softmax(x.T.contiguous(), 1), 0, 0)).toBe(0);
    expect(softmax(tensor([1, 2], { dtype: 'int32' })).dtype).toBe('float32');
    expect(softmax(tensor(5)).item()).toBe(1);
    expect(() => softmax(x, 2)).toThrow(/softmax: axis 2 is out of range for a tensor of rank 2/);
    expect(() => logSoftmax(x, -3)).toThrow(/logSoftmax: axis -3/);
  });
});
