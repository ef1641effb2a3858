import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { StandardScaler } from './standard-scaler.js';

function expectClose(actual: number[][], expected: number[][], digits: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, r) => {
    row.forEach((v, c) => {
      expect(v).toBeCloseTo(expected[r]![c]!, digits);
    });
  });
}

// Column 0: mean 4, population variance ((9+1+1+9)/4) = 5. Column 1: constant → variance 0, scale 1.
const X = [
  [1, 2],
  [3, 2],
  [5, 2],
  [7, 2],
];

describe('StandardScaler', () => {
  it('standardises with the population std and leaves constant columns unscaled (hand-computed)', () => {
    const s = new StandardScaler();
    const out = s.fitTransform(X);
    expect(s.mean).toEqual([4, 2]);
    expect(s.var).toEqual([5, 0]);
    expect(s.scale).toEqual([Math.sqrt(5), 1]);
    const r5 = Math.sqrt(5);
    const expected = [
      [-3 / r5, 0],
      [-1 / r5, 0],
      [1 / r5, 0],
      [3 / r5, 0],
    ];
    expectClose(out, expected, 12);
  });
  it('works on tensors and inverts', () => {
    const s = new StandardScaler().fit(tensor(X));
    const z = s.transform(tensor([[4 + Math.sqrt(5), 3]]));
    expect(Array.from(z.toTypedArray())).toEqual([expect.closeTo(1, 6), expect.closeTo(1, 6)]);
    const back = s.inverseTransform(z);
    expect(Array.from(back.toTypedArray())).toEqual([
      expect.closeTo(4 + Math.sqrt(5), 5),
      expect.closeTo(3, 5),
    ]);
  });
  it('ignores NaN while fitting and supports withMean / withStd', () => {
    const s = new StandardScaler().fit([[1], [Number.NaN], [3]]);
    expect(s.mean).toEqual([2]);
    expect(s.var).toEqual([1]);
    expect(new StandardScaler({ withMean: false }).fit(X).transform([[4, 2]])[0]![0]).toBeCloseTo(
      4 / Math.sqrt(5),
      12,
    );
    expect(new StandardScaler({ withStd: false }).fit(X).transform([[5, 2]])).toEqual([[1, 0]]);
  });
  it('round-trips through JSON', () => {
    const s = new StandardScaler().fit(X);
    const json = JSON.parse(JSON.stringify(s));
    expect(json).toEqual({
      type: 'StandardScaler',
      withMean: true,
      withStd: true,
      mean: [4, 2],
      var: [5, 0],
    });
    const r = StandardScaler.fromJSON(json);
    expect(r.transform([[0, 9]])).toEqual(s.transform([[0, 9]]));
    expect(() => StandardScaler.fromJSON({ ...json, var: [1] })).toThrow(
      /field "var" must be an array of 2 numbers/,
    );
    expect(() => new StandardScaler().toJSON()).toThrow(/not fitted/);
  });
});
