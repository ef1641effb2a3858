import { Variable } from '@tsdl/autograd';
import * as T from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { AdaptiveAvgPool2d } from './adaptive-avg-pool2d.js';

const rn = (shape: number[], seed: number) => T.randn(shape, { generator: new T.Generator(seed) });

describe('AdaptiveAvgPool2d', () => {
  it('pools any input size to the output size (null keeps the input size)', () => {
    const x = rn([2, 3, 7, 5], 1);
    expect(new AdaptiveAvgPool2d([3, 2]).forward(x).shape).toEqual([2, 3, 3, 2]);
    expect(new AdaptiveAvgPool2d([null, 2]).forward(x).shape).toEqual([2, 3, 7, 2]);
    expect(new AdaptiveAvgPool2d(4).forward(rn([3, 9, 6], 2)).shape).toEqual([3, 4, 4]);
    expect(new AdaptiveAvgPool2d(2).parameters()).toEqual([]);
  });

  it('to 1×1 is the mean over each plane, and its gradient is 1/(H·W)', () => {
    const x = new Variable(rn([2, 3, 7, 5], 3), true);
    const y = new AdaptiveAvgPool2d(1).forward(x);
    const want = T.mean(x.data, [2, 3], true).toTypedArray();
    const got = y.data.toTypedArray();
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-6);
    y.sum().backward();
    for (const g of x.grad!.toTypedArray()) expect(g).toBeCloseTo(1 / 35, 7);
  });

  it('names a bad outputSize', () => {
    for (const bad of [0, 1.5, [2], [2, 0], [null, -1], '2']) {
      expect(() => new AdaptiveAvgPool2d(bad as never)).toThrow(
        `AdaptiveAvgPool2d: outputSize must be a positive integer or [h, w] of positive integers or null, received ${JSON.stringify(bad)}`,
      );
    }
  });
});
