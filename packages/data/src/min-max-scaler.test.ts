import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { MinMaxScaler } from './min-max-scaler.js';

function expectClose(actual: number[][], expected: number[][], digits: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, r) => {
    row.forEach((v, c) => {
      expect(v).toBeCloseTo(expected[r]![c]!, digits);
    });
  });
}

// Column 0 spans 1..4, column 1 is constant (range 0 → scale as if range 1, scikit-learn's rule).
const X = [
  [1, 10],
  [2, 10],
  [4, 10],
];

describe('MinMaxScaler', () => {
  it('maps each column to [0, 1] by default (hand-computed)', () => {
    const s = new MinMaxScaler();
    const out = s.fitTransform(X);
    const expected = [
      [0, 0],
      [1 / 3, 0],
      [1, 0],
    ];
    expectClose(out, expected, 12);
    expect(s.dataMin).toEqual([1, 10]);
    expect(s.dataMax).toEqual([4, 10]);
    expect(s.scale).toEqual([1 / 3, 1]);
  });
  it('honours featureRange, tensors in/out and inverseTransform', () => {
    const s = new MinMaxScaler({ featureRange: [-1, 1] }).fit(tensor(X));
    const t = s.transform(
      tensor([
        [1, 10],
        [2.5, 10],
        [7, 12],
      ]),
    );
    expect(t.dtype).toBe('float32');
    // -1 + 2 * (x - 1) / 3 ; column 1: -1 + 2 * (x - 10)
    const e = [
      [-1, -1],
      [0, -1],
      [3, 3],
    ];
    expectClose(t.toArray() as number[][], e, 6);
    const back = s.inverseTransform(t.to('float64'));
    expect(back.dtype).toBe('float64');
    expectClose(
      back.toArray() as number[][],
      [
        [1, 10],
        [2.5, 10],
        [7, 12],
      ],
      5,
    );
    expect(new MinMaxScaler({ clip: true }).fit(X).transform([[7, 9]])).toEqual([[1, 0]]);
  });
  it('round-trips through JSON', () => {
    const s = new MinMaxScaler({ featureRange: [0, 2] }).fit(X);
    const r = MinMaxScaler.fromJSON(JSON.stringify(s));
    expect(r.featureRange).toEqual([0, 2]);
    expect(
      r.transform([
        [3, 10],
        [0, 11],
      ]),
    ).toEqual(
      s.transform([
        [3, 10],
        [0, 11],
      ]),
    );
    expect(r.inverseTransform([[1, 1]])).toEqual(s.inverseTransform([[1, 1]]));
  });
  it('rejects bad use with clear errors', () => {
    expect(() => new MinMaxScaler().transform(X)).toThrow(/not fitted yet/);
    expect(() => new MinMaxScaler().fit(X).transform([[1, 2, 3]])).toThrow(
      /x has 3 features but the scaler was fitted with 2/,
    );
    expect(() => new MinMaxScaler().fit(tensor([1, 2]))).toThrow(
      /2-d \[samples, features\].*reshape\(\[-1, 1\]\)/,
    );
    expect(() => new MinMaxScaler().fit([[1, 2], [3]])).toThrow(/row 1 has 1/);
    expect(() => new MinMaxScaler({ featureRange: [1, 0] })).toThrow(/min < max/);
    expect(() => MinMaxScaler.fromJSON({ type: 'StandardScaler' } as never)).toThrow(
      /expected type "MinMaxScaler"/,
    );
  });
});
