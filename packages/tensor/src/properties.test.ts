// Property tests: the fast strided kernels against index-by-index reference implementations.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, argmax, max, mean, min, mul, permute, reshape, slice, sum, var as variance } from './index.js';
import { Tensor } from './tensor.js';
import { build, closeness } from './test-utils/naive.js';

const RUNS = { numRuns: 100 };
const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** A float64 tensor of `shape` holding small multiples of 0.25 (ties and exact sums), maybe as a transposed view. */
function makeTensor(shape: readonly number[], values: readonly number[], transposed: boolean): Tensor {
  const n = size(shape);
  const data = Float64Array.from({ length: n }, (_, i) => (values[i % Math.max(values.length, 1)] ?? 0) / 4);
  if (!transposed || shape.length < 2) return new Tensor(data, shape);
  // Same logical shape, reversed storage order: a non-contiguous view.
  const rev = [...shape].reverse();
  return new Tensor(data, rev).permute([...rev.keys()].reverse());
}

const shapeArb = (minRank = 0, maxRank = 4, maxDim = 4) =>
  fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: minRank, maxLength: maxRank });
const valuesArb = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 64 });
const tensorArb = (minRank = 0, maxRank = 4) =>
  fc.tuple(shapeArb(minRank, maxRank), valuesArb, fc.boolean()).map(([s, v, t]) => makeTensor(s, v, t));

/** Iterates all multi-indices of `shape` in row-major order. */
function* indices(shape: readonly number[]): Generator<number[]> {
  const n = size(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    yield [...idx];
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d]!++;
      if (idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
}

describe('broadcasting (add, mul)', () => {
  // An output shape plus, for each operand, a trailing part of it with some dims set to 1.
  const pairArb = fc
    .tuple(
      shapeArb(0, 4),
      fc.nat(4),
      fc.nat(4),
      fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      valuesArb,
      valuesArb,
      fc.boolean(),
      fc.boolean(),
    )
    .map(([out, da, db, ones, va, vb, ta, tb]) => {
      const sa = out.slice(Math.min(da, out.length)).map((d, i) => (ones[i] ? 1 : d));
      const sb = out.slice(Math.min(db, out.length)).map((d, i) => (ones[i + 4] ? 1 : d));
      return [makeTensor(sa, va, ta), makeTensor(sb, vb, tb)] as const;
    });
  it('matches index-by-index broadcasting', () => {
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        const nd = Math.max(a.ndim, b.ndim);
        const outShape = Array.from({ length: nd }, (_, i) =>
          Math.max(a.shape[i - nd + a.ndim] ?? 1, b.shape[i - nd + b.ndim] ?? 1),
        );
        const pick = (t: Tensor, idx: number[]) =>
          t.get(...idx.slice(nd - t.ndim).map((v, d) => (t.shape[d] === 1 ? 0 : v)));
        for (const [op, f] of [
          [add, (x: number, y: number) => x + y],
          [mul, (x: number, y: number) => x * y],
        ] as const) {
          const got = op(a, b);
          const want = build(outShape, (idx) => f(pick(a, idx), pick(b, idx)));
          expect(got.shape).toEqual(outShape);
          expect([...got.toTypedArray()]).toEqual([...want.toTypedArray()]);
        }
      }),
      RUNS,
    );
  });
});

describe('reshape / permute round trips', () => {
  it('permute by p then by inverse(p) gives the original, and permute moves elements', () => {
    const arb = tensorArb(0, 5).chain((x) =>
      fc.tuple(
        fc.constant(x),
        fc.shuffledSubarray([...x.shape.keys()], { minLength: x.ndim, maxLength: x.ndim }),
      ),
    );
    fc.assert(
      fc.property(arb, ([x, p]) => {
        const inv = new Array<number>(p.length);
        for (let i = 0; i < p.length; i++) inv[p[i]!] = i;
        const y = permute(x, p);
        expect(y.shape).toEqual(p.map((d) => x.shape[d]));
        for (const idx of indices(x.shape)) expect(y.get(...p.map((d) => idx[d]!))).toBe(x.get(...idx));
        expect(permute(y, inv).toArray()).toEqual(x.toArray());
      }),
      RUNS,
    );
  });
  it('reshape to a random factorisation (maybe with -1) and back', () => {
    const arb = tensorArb(0, 4).chain((x) =>
      fc.tuple(
        fc.constant(x),
        fc.shuffledSubarray([...x.shape, 1, 1], { minLength: x.ndim + 2, maxLength: x.ndim + 2 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.nat(5),
      ),
    );
    fc.assert(
      fc.property(arb, ([x, factors, cuts, inferAt]) => {
        // Group the shuffled factors into consecutive products.
        const shape: number[] = [];
        let acc = 1;
        factors.forEach((f, i) => {
          acc *= f;
          if (cuts[i] || i === factors.length - 1) {
            shape.push(acc);
            acc = 1;
          }
        });
        const asked = [...shape];
        if (inferAt < asked.length) asked[inferAt] = -1;
        const y = reshape(x, asked);
        expect(y.shape).toEqual(shape);
        expect([...y.toTypedArray()]).toEqual([...x.toTypedArray()]);
        expect(reshape(y, x.shape).toArray()).toEqual(x.toArray());
      }),
      RUNS,
    );
  });
});

describe('reductions against a naive implementation', () => {
  const arb = tensorArb(1, 4).chain((x) =>
    fc.tuple(
      fc.constant(x),
      fc.oneof(
        fc.constant(undefined),
        fc
          .subarray([...x.shape.keys()], { minLength: 1 })
          .chain((axes) => fc.shuffledSubarray(axes, { minLength: axes.length })),
      ),
      fc.boolean(),
      fc.boolean(),
    ),
  );
  it('sum, mean, max, min, var and argmax', () => {
    fc.assert(
      fc.property(arb, ([x, axesIn, keepdims, negative]) => {
        const all = [...x.shape.keys()];
        const axes = axesIn ?? all;
        const red = new Set(axes);
        // Negative axis numbering must mean the same thing.
        const axisArg = axesIn === undefined ? undefined : negative ? axesIn.map((a) => a - x.ndim) : axesIn;
        const outShape = all
          .filter((d) => !red.has(d) || keepdims)
          .map((d) => (red.has(d) ? 1 : x.shape[d]!));
        const groups = new Map<string, number[]>();
        for (const idx of indices(x.shape)) {
          const key = idx.filter((_, d) => !red.has(d)).join(',');
          if (!groups.has(key)) groups.set(key, []);
          groups.get(key)!.push(x.get(...idx));
        }
        const kept = all.filter((d) => !red.has(d));
        const ref = (f: (g: number[]) => number) =>
          build(outShape, (idx) =>
            f(
              groups.get(
                idx
                  .filter((_, d) => !keepdims || !red.has(all[d]!))
                  .slice(0, kept.length)
                  .join(','),
              )!,
            ),
          );
        const S = (g: number[]) => g.reduce((a, b) => a + b, 0);
        const V = (g: number[]) => {
          const m = S(g) / g.length;
          return g.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(0, g.length - 1);
        };
        const check = (got: Tensor, want: Tensor) => {
          expect(got.shape).toEqual(want.shape);
          // var over one element is NaN (0/0) on both sides; closeness() does not treat NaN == NaN.
          const g = got.toTypedArray();
          const w = want.toTypedArray();
          expect([...g].map(Number.isNaN)).toEqual([...w].map(Number.isNaN));
          const ok = (t: Tensor, m: ArrayLike<number>) =>
            new Tensor(
              Float64Array.from(t.toTypedArray(), (v, i) => (Number.isNaN(m[i]!) ? 0 : v)),
              t.shape,
            );
          expect(closeness(ok(got, w), ok(want, w), 1e-9, 1e-9)).toBeLessThanOrEqual(1);
        };
        check(sum(x, axisArg, keepdims), ref(S));
        check(
          mean(x, axisArg, keepdims),
          ref((g) => S(g) / g.length),
        );
        check(
          max(x, axisArg, keepdims),
          ref((g) => Math.max(...g)),
        );
        check(
          min(x, axisArg, keepdims),
          ref((g) => Math.min(...g)),
        );
        check(variance(x, axisArg, keepdims), ref(V));
        // argmax takes one axis (or none = flattened); groups list values in row-major order of the reduced dims.
        if (axes.length === 1 || axesIn === undefined) {
          const got = argmax(x, axesIn === undefined ? undefined : axisArg![0], keepdims);
          check(
            got.to('float64'),
            ref((g) => g.indexOf(Math.max(...g))),
          );
        }
      }),
      RUNS,
    );
  });
});

describe('slice against a naive implementation', () => {
  const arb = tensorArb(1, 4).chain((x) =>
    fc.tuple(
      fc.constant(x),
      fc.nat(x.ndim - 1),
      fc.integer({ min: -6, max: 6 }),
      fc.option(fc.integer({ min: -6, max: 6 }), { nil: undefined }),
      fc.integer({ min: 1, max: 3 }),
    ),
  );
  it('matches Python slicing element by element', () => {
    fc.assert(
      fc.property(arb, ([x, axis, start, end, step]) => {
        const n = x.shape[axis]!;
        const picked: number[] = [];
        // Python: range(*slice(start, end, step).indices(n)) for step > 0.
        const norm = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
        for (let i = norm(start); i < (end === undefined ? n : norm(end)); i += step) picked.push(i);
        const shape = x.shape.map((d, i) => (i === axis ? picked.length : d));
        const want = build(shape, (idx) => x.get(...idx.map((v, d) => (d === axis ? picked[v]! : v))));
        const got = slice(x, axis, start, end, step);
        expect(got.data).toBe(x.data);
        expect(got.shape).toEqual(shape);
        expect([...got.toTypedArray()]).toEqual([...want.toTypedArray()]);
      }),
      RUNS,
    );
  });
});
