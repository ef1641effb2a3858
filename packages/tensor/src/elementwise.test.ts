import { describe, expect, it } from 'vitest';
import { allocArray, type DType } from './dtype.js';
import {
  add,
  arange,
  div,
  eq,
  Generator,
  ge,
  gt,
  le,
  lt,
  mul,
  neg,
  permute,
  relu,
  reluGrad,
  sigmoid,
  sub,
  Tensor,
  tanh,
  tensor,
  where,
} from './index.js';
import { broadcastShapes, shapeSize } from './shape.js';

describe('elementwise', () => {
  it('adds with broadcasting', () => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = tensor([10, 20, 30]);
    expect(add(a, b).toArray()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    expect(add(tensor([[1], [2]]), b).toArray()).toEqual([
      [11, 21, 31],
      [12, 22, 32],
    ]);
  });
  it('mixes scalars and promotes dtypes', () => {
    const i = arange(4);
    expect(i.dtype).toBe('int32');
    expect(mul(i, 2).dtype).toBe('int32');
    expect(mul(i, 0.5).dtype).toBe('float32');
    expect(div(i, 2).toArray()).toEqual([0, 0.5, 1, 1.5]);
    expect(sub(1, tensor([1, 2], { dtype: 'float64' })).dtype).toBe('float64');
  });
  it('works on transposed views', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(add(a.transpose(0, 1), a).toArray()).toEqual([
      [2, 5],
      [5, 8],
    ]);
  });
  it('rejects incompatible shapes naming the op', () => {
    expect(() => add(tensor([1, 2, 3]), tensor([1, 2]))).toThrow(
      /add: shapes \[3\] and \[2\] cannot be broadcast/,
    );
  });
  it('comparisons give int32 masks and where selects', () => {
    const x = tensor([-1, 0, 2]);
    expect(gt(x, 0).toArray()).toEqual([0, 0, 1]);
    expect(eq(x, 0).dtype).toBe('int32');
    expect(where(gt(x, 0), x, tensor([[7], [8]])).toArray()).toEqual([
      [7, 7, 2],
      [8, 8, 2],
    ]);
    expect(relu(x).toArray()).toEqual([0, 0, 2]);
    expect(sigmoid(tensor([-1000, 0, 1000])).toArray()).toEqual([0, 0.5, 1]);
  });
});

describe('elementwise fast paths (contiguous, scalar and row-broadcast operands)', () => {
  const gen = new Generator(11);
  const special = [Number.NaN, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, -1];
  /** Random values of dtype with some specials (and exact zeros, so div hits ±Infinity/NaN). */
  function make(shape: number[], dtype: DType): Tensor {
    const n = shapeSize(shape);
    const d = allocArray(dtype, n);
    for (let i = 0; i < n; i++) {
      const r = gen.random();
      d[i] =
        dtype === 'int32'
          ? gen.randint(-5, 6)
          : r < 0.15
            ? special[gen.randint(0, special.length)]!
            : gen.normal() * 3;
    }
    return new Tensor(d, shape);
  }
  /** Same values, non-contiguous storage (reversed axis order, permuted back). */
  function strided(t: Tensor): Tensor {
    if (t.ndim < 2) return t;
    const rev = t.shape.map((_, i) => t.ndim - 1 - i);
    const v = permute(permute(t, rev).contiguous(), rev);
    return v;
  }
  /** Broadcast by index arithmetic, then stored into the result dtype: the definition. */
  function naive(f: (x: number, y: number) => number, a: Tensor, b: Tensor, dtype: DType) {
    const shape = broadcastShapes('naive', a.shape, b.shape);
    const out = allocArray(dtype, shapeSize(shape));
    const av = a.toTypedArray();
    const bv = b.toTypedArray();
    const at = (t: Tensor, v: ArrayLike<number>, idx: number[]) => {
      let p = 0;
      for (let k = 0; k < t.ndim; k++) {
        const d = t.shape[k]!;
        p = p * d + (d === 1 ? 0 : idx[idx.length - t.ndim + k]!);
      }
      return v[p]!;
    };
    for (let o = 0; o < out.length; o++) {
      const idx: number[] = [];
      for (let k = shape.length - 1, r = o; k >= 0; k--) {
        idx.unshift(r % shape[k]!);
        r = Math.floor(r / shape[k]!);
      }
      out[o] = f(at(a, av, idx), at(b, bv, idx));
    }
    return { shape, out };
  }
  const ops: [
    string,
    (a: Tensor | number, b: Tensor | number) => Tensor,
    (x: number, y: number) => number,
  ][] = [
    ['add', add, (x, y) => x + y],
    ['sub', sub, (x, y) => x - y],
    ['mul', mul, (x, y) => x * y],
    ['div', div, (x, y) => x / y],
    ['gt', gt, (x, y) => +(x > y)],
    ['lt', lt, (x, y) => +(x < y)],
    ['ge', ge, (x, y) => +(x >= y)],
    ['le', le, (x, y) => +(x <= y)],
  ];
  const pairs: [number[], number[]][] = [
    [
      [37, 13],
      [37, 13],
    ], // same shape, odd sizes
    [[37, 13], [13]], // bias row
    [[13], [5, 37, 13]], // row on the left
    [
      [4, 1, 7],
      [1, 1, 7],
    ], // leading 1s
    [[6, 5], [1]],
    [[1], [6, 5]],
    [
      [3, 4, 5],
      [4, 5],
    ],
    [[0, 5], [5]],
    [[7], [7]],
  ];
  const dtypes: [DType, DType][] = [
    ['float32', 'float32'],
    ['float64', 'float32'],
    ['int32', 'int32'],
    ['float32', 'int32'],
  ];
  for (const [name, fn, f] of ops) {
    it(`${name} equals the definition and the strided path bit for bit`, () => {
      for (const [sa, sb] of pairs) {
        for (const [da, db] of dtypes) {
          const a = make(sa, da);
          const b = make(sb, db);
          const got = fn(a, b);
          const want = naive(f, a, b, got.dtype);
          expect(got.shape).toEqual(want.shape);
          expect(got.toTypedArray()).toEqual(want.out);
          const slow = fn(strided(a), strided(b));
          expect(slow.dtype).toBe(got.dtype);
          expect(slow.toTypedArray()).toEqual(got.toTypedArray());
          // A tensor and a plain number, both ways round.
          const s = da === 'int32' ? 3 : -0.75;
          expect(fn(a, s).toTypedArray()).toEqual(
            naive(f, a, tensor([s], { dtype: da }), fn(a, s).dtype).out,
          );
          expect(fn(s, a).toTypedArray()).toEqual(
            naive(f, tensor([s], { dtype: da }), a, fn(s, a).dtype).out,
          );
          expect(fn(strided(a), s).toTypedArray()).toEqual(fn(a, s).toTypedArray());
        }
      }
    });
  }
  it('sigmoid and tanh equal their definitions bit for bit', () => {
    const sig = (v: number) => {
      if (v >= 0) return 1 / (1 + Math.exp(-v));
      const e = Math.exp(v);
      return e / (1 + e);
    };
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      const x = make([7, 33], dtype);
      const xs = x.toTypedArray();
      const s = sigmoid(x);
      const t = tanh(x);
      const want = (f: (v: number) => number) => {
        const o = allocArray(s.dtype, xs.length);
        for (let i = 0; i < xs.length; i++) o[i] = f(xs[i]!);
        return o;
      };
      expect(s.toTypedArray()).toEqual(want(sig));
      expect(t.toTypedArray()).toEqual(want(Math.tanh));
      expect(sigmoid(strided(x)).toTypedArray()).toEqual(s.toTypedArray());
    }
  });

  it('relu and neg equal their definitions on contiguous and strided input', () => {
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      const x = make([9, 31], dtype);
      const r = relu(x).toTypedArray();
      const n = neg(x).toTypedArray();
      const xs = x.toTypedArray();
      for (let i = 0; i < xs.length; i++) {
        const v = xs[i]!;
        expect(Object.is(r[i], v > 0 ? v : Number.isNaN(v) ? v : 0)).toBe(true);
        expect(Object.is(n[i], dtype === 'int32' ? -v | 0 : -v)).toBe(true);
      }
      expect(relu(strided(x)).toTypedArray()).toEqual(r);
      expect(neg(strided(x)).toTypedArray()).toEqual(n);
    }
    // float32 relu works on bit patterns: NaNs with the sign bit set, denormals, ±0, ±max, offsets.
    const bits = new Int32Array([
      0xffc00000 | 0,
      0x7fc00001,
      0x80000001 | 0,
      1,
      0x80000000 | 0,
      0,
      0xff800000 | 0,
      0x7f800000,
      0x7f7fffff,
      0xff7fffff | 0,
    ]);
    const v = new Float32Array(bits.buffer);
    const y = relu(new Tensor(v, [v.length])).toTypedArray();
    const want = Array.from(v, (t) => (t > 0 ? t : Number.isNaN(t) ? t : 0));
    for (let i = 0; i < v.length; i++) expect(Object.is(y[i], want[i]), `bits ${bits[i]}`).toBe(true);
    const big = new Float32Array(40);
    big.set(v, 3);
    expect(Array.from(relu(new Tensor(big, [2, 20]).reshape([40]).slice(0, 3, 13)).toTypedArray())).toEqual(
      Array.from(y),
    );
  });

  it('reluGrad is exactly mul(dy, gt(x, 0)): signed zeros, NaN and Inf included, on views too', () => {
    const specials = [0, -0, 1e-45, -1e-45, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    const g = new Generator(7);
    for (const dtype of ['float32', 'float64'] as const) {
      const n = 6 * 7;
      const x = new Tensor(allocArray(dtype, n), [6, 7]);
      const dy = new Tensor(allocArray(dtype, n), [6, 7]);
      for (let i = 0; i < n; i++) {
        x.data[i] = i % 3 === 0 ? specials[i % specials.length]! : g.normal();
        dy.data[i] = i % 4 === 0 ? specials[(i >> 2) % specials.length]! : g.normal();
      }
      for (const [d, xx] of [
        [dy, x],
        [permute(dy.reshape([7, 6]), [1, 0]), permute(x.reshape([7, 6]), [1, 0])], // non-contiguous
        [dy.reshape([n]).slice(0, 5, 29), x.reshape([n]).slice(0, 5, 29)], // offset views
      ] as const) {
        const want = mul(d, gt(xx, 0)).toTypedArray();
        const got = reluGrad(d, xx);
        expect(got.dtype).toBe(dtype);
        expect(got.shape).toEqual(d.shape);
        const out = got.toTypedArray();
        for (let i = 0; i < want.length; i++) expect(Object.is(out[i], want[i]), `element ${i}`).toBe(true);
      }
    }
    expect(() => reluGrad(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(
      /reluGrad: dy must have the shape of x \[3\], received \[2\]/,
    );
  });
});
