import { Generator, ones } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { Dropout } from './dropout.js';

describe('Dropout', () => {
  it('zeroes about p of the elements and scales the rest by 1/(1-p) in training', () => {
    const d = new Dropout(0.25, { generator: new Generator(3) });
    const y = Array.from(d.forward(ones([100, 100])).data.toTypedArray());
    const zeros = y.filter((v) => v === 0).length;
    expect(zeros / y.length).toBeCloseTo(0.25, 1);
    expect(y.filter((v) => v !== 0).every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
  });

  it('is the identity in eval mode and reproducible with a seeded generator', () => {
    const d = new Dropout(0.5).eval();
    expect(Array.from(d.forward(ones([10])).data.toTypedArray())).toEqual(new Array(10).fill(1));
    const a = new Dropout(0.5, { generator: new Generator(9) }).forward(ones([50])).data.toTypedArray();
    const b = new Dropout(0.5, { generator: new Generator(9) }).forward(ones([50])).data.toTypedArray();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(() => new Dropout(1.5)).toThrow(/p must be in \[0, 1\], received 1.5/);
  });
});
