import { describe, expect, it } from 'vitest';
import {
  type Conv2dOptions,
  conv2d,
  conv2dGradInput,
  conv2dGradWeight,
  Generator,
  randn,
  slice,
  type Tensor,
} from './index.js';
import { closeness, type NaiveConvOptions, naiveConv2d } from './test-utils/naive.js';

const generator = new Generator(5);
const rn = (shape: number[], dtype: 'float32' | 'float64' = 'float64') => randn(shape, { generator, dtype });

interface Case {
  x: number[];
  w: number[];
  opts: Conv2dOptions;
  naive: NaiveConvOptions;
}
const cases: Case[] = [
  { x: [2, 3, 7, 6], w: [4, 3, 3, 3], opts: {}, naive: {} },
  {
    x: [2, 3, 7, 6],
    w: [4, 3, 3, 2],
    opts: { stride: 2, padding: 1 },
    naive: { stride: [2, 2], pads: [1, 1, 1, 1] },
  },
  {
    x: [1, 2, 9, 8],
    w: [3, 2, 3, 3],
    opts: { stride: [2, 1], padding: [2, 0], dilation: [2, 3] },
    naive: { stride: [2, 1], pads: [2, 0, 2, 0], dilation: [2, 3] },
  },
  {
    x: [2, 4, 6, 6],
    w: [6, 2, 3, 3],
    opts: { groups: 2, padding: 1 },
    naive: { groups: 2, pads: [1, 1, 1, 1] },
  },
  {
    x: [1, 6, 5, 7],
    w: [6, 1, 2, 3],
    opts: { groups: 6, stride: [1, 2], dilation: 2 },
    naive: { groups: 6, stride: [1, 2], dilation: [2, 2] },
  },
  { x: [2, 3, 5, 5], w: [2, 3, 1, 1], opts: {}, naive: {} }, // 1×1: the kernel reads x directly
  { x: [2, 3, 5, 5], w: [2, 3, 1, 1], opts: { stride: 2 }, naive: { stride: [2, 2] } },
  { x: [1, 2, 6, 5], w: [3, 2, 4, 3], opts: { padding: 'same' }, naive: { pads: [1, 1, 2, 1] } },
  {
    x: [1, 2, 6, 5],
    w: [3, 2, 2, 3],
    opts: { pads: [0, 1, 2, 0], stride: 2 },
    naive: { pads: [0, 1, 2, 0], stride: [2, 2] },
  },
];
const label = (c: Case) => `x${JSON.stringify(c.x)} w${JSON.stringify(c.w)} ${JSON.stringify(c.opts)}`;

/** Σ ⟨a, b⟩ in float64. */
const dot = (a: Tensor, b: Tensor) => {
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
};

describe('conv2d', () => {
  for (const c of cases) {
    it(`matches the direct loop: ${label(c)}`, () => {
      const x = rn(c.x);
      const w = rn(c.w);
      const b = rn([c.w[0]!]);
      const want = naiveConv2d(x, w, b, c.naive);
      expect(closeness(conv2d(x, w, b, c.opts), want, 1e-12, 1e-12)).toBeLessThanOrEqual(1);
      const y32 = conv2d(x.to('float32'), w.to('float32'), b.to('float32'), c.opts);
      expect(y32.dtype).toBe('float32');
      expect(closeness(y32, want, 1e-4, 1e-4)).toBeLessThanOrEqual(1);
    });

    it(`gradients match finite differences of the naive conv: ${label(c)}`, () => {
      const x = rn(c.x);
      const w = rn(c.w);
      const y = conv2d(x, w, null, c.opts);
      const r = rn([...y.shape]); // L = Σ y·r, so dL/dy = r
      const loss = (xx: Tensor, ww: Tensor) => dot(naiveConv2d(xx, ww, null, c.naive), r);
      const gx = conv2dGradInput(r, w, x.shape, c.opts);
      const gw = conv2dGradWeight(x, r, w.shape, c.opts);
      expect(gx.shape).toEqual(x.shape);
      expect(gw.shape).toEqual(w.shape);
      const h = 1e-3;
      const probe = (t: Tensor, g: Tensor, which: 'x' | 'w') => {
        const d = t.data;
        for (let k = 0; k < 12; k++) {
          const i = generator.randint(0, t.size);
          const v = d[i]!;
          d[i] = v + h;
          const lp = which === 'x' ? loss(t, w) : loss(x, t);
          d[i] = v - h;
          const lm = which === 'x' ? loss(t, w) : loss(x, t);
          d[i] = v;
          expect(g.data[i]!, `d${which}[${i}]`).toBeCloseTo((lp - lm) / (2 * h), 6);
        }
      };
      probe(x, gx, 'x');
      probe(w, gw, 'w');
      // Adjoint identities over all elements: ⟨conv(x,w), r⟩ = ⟨x, gx⟩ = ⟨w, gw⟩.
      const l = dot(y, r);
      expect(dot(x, gx)).toBeCloseTo(l, 9);
      expect(dot(w, gw)).toBeCloseTo(l, 9);
    });
  }

  it.each([
    // CKK·L = 200·1936 puts 5 images in an unfolded block, so N = 7 runs as a block of 5 and one of 2
    // (float32 through the direct convolutions, whose blocks are larger)
    ['unfolded', [7, 8, 46, 46], [3, 8, 5, 5]],
    // ~1M floats of direct-convolution scratch per 400×400 image: blocks of 4 (+1) forward and for
    // the weight gradient, 3 (+2) for the input gradient
    ['direct', [5, 1, 400, 400], [2, 1, 3, 3]],
  ])(
    'a batch split over several %s image blocks equals per-image convolutions (values and both gradients)',
    (_, xShape, wShape) => {
      const opts: Conv2dOptions = { padding: 1, stride: 1 };
      const N = xShape[0]!;
      for (const dtype of ['float64', 'float32'] as const) {
        const x = rn(xShape, dtype);
        const w = rn(wShape, dtype);
        const b = rn([wShape[0]!], dtype);
        const y = conv2d(x, w, b, opts);
        const r = rn([...y.shape], dtype);
        const gx = conv2dGradInput(r, w, x.shape, opts);
        const gw = conv2dGradWeight(x, r, w.shape, opts);
        const tol = dtype === 'float64' ? 1e-12 : 1e-5;
        const gwSum = new Float64Array(w.size);
        for (let n = 0; n < N; n++) {
          const xn = slice(x, 0, n, n + 1);
          const rn1 = slice(r, 0, n, n + 1);
          expect(closeness(slice(y, 0, n, n + 1), conv2d(xn, w, b, opts), tol, tol)).toBeLessThanOrEqual(1);
          expect(
            closeness(slice(gx, 0, n, n + 1), conv2dGradInput(rn1, w, xn.shape, opts), tol, tol),
          ).toBeLessThanOrEqual(1);
          const g1 = conv2dGradWeight(xn, rn1, w.shape, opts).toTypedArray();
          for (let i = 0; i < g1.length; i++) gwSum[i]! += g1[i]!;
        }
        const gwd = gw.toTypedArray();
        for (let i = 0; i < gwSum.length; i++)
          expect(Math.abs(gwd[i]! - gwSum[i]!)).toBeLessThanOrEqual(tol * 10 * (1 + Math.abs(gwSum[i]!)));
      }
    },
  );

  it('accepts unbatched [C,H,W] input', () => {
    const x = rn([3, 6, 6]);
    const w = rn([2, 3, 3, 3]);
    const y = conv2d(x, w, null, { padding: 1 });
    expect(y.shape).toEqual([2, 6, 6]);
    expect(
      closeness(
        y,
        naiveConv2d(x.reshape([1, 3, 6, 6]), w, null, { pads: [1, 1, 1, 1] }).reshape([2, 6, 6]),
        1e-12,
        1e-12,
      ),
    ).toBeLessThanOrEqual(1);
    expect(conv2dGradInput(rn([2, 6, 6]), w, [3, 6, 6], { padding: 1 }).shape).toEqual([3, 6, 6]);
  });

  it('rejects bad shapes and options with PyTorch-like messages', () => {
    const x = rn([1, 3, 5, 5]);
    expect(() => conv2d(x, rn([2, 4, 3, 3]))).toThrow(
      'conv2d: input [1,3,5,5] has 3 channels but weight [2,4,3,3] with groups=1 expects 4',
    );
    expect(() => conv2d(x, rn([4, 1, 3, 3]), null, { groups: 3 })).toThrow(/not divisible by groups=3/);
    expect(() => conv2d(rn([3, 5]), rn([2, 3, 3, 3]))).toThrow(
      /conv2d: input must be 4-d \[N,C,H,W\].*received \[3,5\]/,
    );
    expect(() => conv2d(x, rn([2, 3, 3]))).toThrow(/conv2d: weight must be 4-d/);
    expect(() => conv2d(x, rn([2, 3, 7, 7]))).toThrow(
      /conv2d: input \[1,3,5,5\] padded to \[5,5\] is smaller than the dilated kernel \[7,7\]/,
    );
    expect(() => conv2d(x, rn([2, 3, 3, 3]), rn([3]))).toThrow(/conv2d: bias must have shape \[2\]/);
    expect(() => conv2d(x, rn([2, 3, 3, 3]), null, { stride: 0 })).toThrow(
      /conv2d: stride must be an integer ≥ 1/,
    );
    expect(() => conv2d(x, rn([2, 3, 3, 3]), null, { padding: 'same', stride: 2 })).toThrow(
      /padding='same' is not supported for strided/,
    );
    expect(() => conv2dGradInput(rn([1, 2, 4, 4]), rn([2, 3, 3, 3]), [1, 3, 5, 5])).toThrow(
      /conv2dGradInput: dy must have the conv2d output shape \[1,2,3,3\], received \[1,2,4,4\]/,
    );
  });
});
