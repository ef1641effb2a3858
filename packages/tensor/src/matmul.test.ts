import { describe, expect, it } from 'vitest';
import { arange, Generator, matmul, randn, Tensor, tensor } from './index.js';
import { closeness, naiveMatmul } from './test-utils/naive.js';

const generator = new Generator(11);
const rn = (shape: number[], dtype: 'float32' | 'float64' = 'float64') => randn(shape, { generator, dtype });

describe('matmul', () => {
  it('matches naive loops on random shapes, including odd sizes and batch broadcasting', () => {
    const cases: [number[], number[]][] = [
      [
        [3, 5],
        [5, 7],
      ],
      [
        [1, 1],
        [1, 1],
      ],
      [
        [67, 129],
        [129, 33],
      ],
      [[5], [5]],
      [[5], [5, 3]],
      [[4, 5], [5]],
      [
        [2, 3, 4],
        [4, 6],
      ],
      [[4], [2, 4, 3]],
      [
        [2, 1, 3, 4],
        [5, 4, 2],
      ],
      [
        [1, 3, 4],
        [2, 1, 4, 2],
      ],
      [
        [3, 2, 4],
        [3, 4, 2],
      ],
    ];
    for (const [sa, sb] of cases) {
      const a = rn(sa);
      const b = rn(sb);
      const want = naiveMatmul(a, b);
      const got = matmul(a, b);
      expect(got.shape, `${sa} @ ${sb}`).toEqual(want.shape);
      expect(closeness(got, want, 1e-12, 1e-12), `${sa} @ ${sb}`).toBeLessThanOrEqual(1);
    }
  });

  it('reads transposed, sliced and expanded views without materialising them first', () => {
    const a = rn([7, 5]);
    const b = rn([6, 7]);
    // a.T is column-major, b.T too: both go to the kernel as trans flags.
    expect(
      closeness(matmul(a.T, b.T), naiveMatmul(a.T.contiguous(), b.T.contiguous()), 1e-12, 1e-12),
    ).toBeLessThanOrEqual(1);
    // Strided views built directly (slice may not exist yet): row stride > row length, column stride 3.
    const big = rn([9, 12]);
    const sl = new Tensor(big.data, [9, 7], [12, 1], 2);
    const stepped = new Tensor(big.data, [5, 4], [24, 3], 1);
    const b4 = rn([4, 3]);
    for (const [x, y] of [
      [sl.T, rn([9, 2])],
      [stepped, b4],
      [b4.T, stepped.T],
      [sl, sl.T],
    ] as const) {
      expect(closeness(matmul(x, y), naiveMatmul(x, y), 1e-12, 1e-12)).toBeLessThanOrEqual(1);
    }
    // Expanded batch (stride 0) on a, permuted batch on b.
    const e = rn([1, 3, 4]).expand([5, 3, 4]);
    const p = rn([2, 5, 4]).permute([1, 2, 0]); // [5,4,2]
    expect(closeness(matmul(e, p), naiveMatmul(e, p), 1e-12, 1e-12)).toBeLessThanOrEqual(1);
  });

  it('folds batch dims of a into rows when b is 2-d (same numbers as per-batch products)', () => {
    const a = rn([3, 4, 6], 'float32');
    const b = rn([6, 5], 'float32');
    const y = matmul(a, b);
    expect(y.shape).toEqual([3, 4, 5]);
    expect(closeness(y, naiveMatmul(a, b), 1e-5, 1e-5)).toBeLessThanOrEqual(1);
  });

  it('promotes dtypes and keeps int32 exact', () => {
    const f32 = tensor([
      [1, 2],
      [3, 4],
    ]);
    const f64 = tensor(
      [
        [1, 0],
        [0, 1],
      ],
      { dtype: 'float64' },
    );
    expect(matmul(f32, f32).dtype).toBe('float32');
    expect(matmul(f32, f64).dtype).toBe('float64');
    const i = arange(6).reshape([2, 3]);
    const r = matmul(i, i.T);
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual([
      [5, 14],
      [14, 50],
    ]);
    expect(matmul(i, tensor([[1], [1], [1]])).dtype).toBe('float32');
  });

  it('gives a 0-d tensor for 1-d · 1-d and handles K = 0 and empty batches', () => {
    const d = matmul(tensor([1, 2, 3]), tensor([4, 5, 6]));
    expect(d.shape).toEqual([]);
    expect(d.item()).toBe(32);
    expect(
      matmul(new Tensor(new Float32Array(0), [2, 0]), new Tensor(new Float32Array(0), [0, 3])).toArray(),
    ).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(matmul(new Tensor(new Float32Array(0), [0, 2, 3]), rn([3, 4], 'float32')).shape).toEqual([
      0, 2, 4,
    ]);
  });

  it('writes into out when given (its old contents ignored) and returns it', () => {
    for (const [sa, sb] of [
      [
        [5, 7],
        [7, 3],
      ],
      [
        [2, 4, 6],
        [6, 5],
      ],
      [
        [3, 2, 4],
        [3, 4, 2],
      ],
      [[7], [7, 4]],
    ] as const) {
      const a = rn([...sa], 'float32');
      const b = rn([...sb], 'float32');
      const want = matmul(a, b);
      const buf = new Float32Array(want.size + 5).fill(Number.NaN);
      const out = new Tensor(buf, want.shape, undefined, 5); // at an offset, full of NaN
      expect(matmul(a, b, { out })).toBe(out);
      expect(Array.from(out.toTypedArray())).toEqual(Array.from(want.toTypedArray()));
      expect(buf.subarray(0, 5).every(Number.isNaN)).toBe(true); // nothing outside out written
    }
  });

  it('rejects an out of the wrong shape, dtype or layout, or sharing an operand', () => {
    const a = rn([2, 3], 'float32');
    const b = rn([3, 4], 'float32');
    const out = (shape: number[], dtype: 'float32' | 'float64' = 'float32') => rn(shape, dtype);
    expect(() => matmul(a, b, { out: out([4, 2]) })).toThrow(
      "matmul: out must have the result's shape [2,4], received [4,2]",
    );
    expect(() => matmul(a, b, { out: out([2, 4], 'float64') })).toThrow(
      "matmul: out must be a float tensor of the result's dtype float32, received float64",
    );
    expect(() => matmul(a, b, { out: out([4, 2]).transpose(0, 1) })).toThrow(
      'matmul: out must be contiguous',
    );
    const shared = rn([2, 3], 'float32');
    expect(() => matmul(shared, rn([3, 3], 'float32'), { out: shared })).toThrow(
      'matmul: out must not share storage with a or b',
    );
    expect(() =>
      matmul(arange(4).reshape([2, 2]), arange(4).reshape([2, 2]), { out: arange(4).reshape([2, 2]) }),
    ).toThrow("matmul: out must be a float tensor of the result's dtype int32, received int32");
  });

  it('names the op and both shapes in errors', () => {
    expect(() => matmul(rn([2, 3]), rn([4, 5]))).toThrow(
      'matmul: inner dimensions differ: a is [2,3], b is [4,5]',
    );
    expect(() => matmul(rn([3]), rn([4]))).toThrow('matmul: inner dimensions differ: a is [3], b is [4]');
    expect(() => matmul(rn([2, 2, 3]), rn([3, 3, 1]))).toThrow(
      /matmul: shapes \[2\] and \[3\] cannot be broadcast/,
    );
    expect(() => matmul(tensor(1), rn([1]))).toThrow(/matmul: both arguments must be at least 1-d/);
  });
});
