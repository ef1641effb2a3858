import { describe, expect, it } from 'vitest';
import {
  type AvgPool2dOptions,
  avgPool2d,
  avgPool2dGrad,
  Generator,
  type MaxPool2dOptions,
  maxPool2d,
  maxPool2dGrad,
  randn,
  type Tensor,
  tensor,
} from './index.js';
import { closeness, type NaivePoolOptions, naiveAvgPool2d, naiveMaxPool2d } from './test-utils/naive.js';

const generator = new Generator(9);
const rn = (shape: number[]) => randn(shape, { generator, dtype: 'float64' });

/** PyTorch's documented output size (pooling_output_shape) for symmetric padding p. */
function torchOut(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = n + 2 * p - d * (k - 1) - 1;
  let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (o - 1) * s >= n + p) o--;
  return o;
}

interface Case {
  x: number[];
  k: [number, number];
  s: [number, number];
  p: [number, number];
  d: [number, number];
  ceil: boolean;
}
const cases: Case[] = [
  { x: [2, 3, 6, 6], k: [2, 2], s: [2, 2], p: [0, 0], d: [1, 1], ceil: false },
  { x: [1, 2, 7, 5], k: [3, 3], s: [2, 2], p: [1, 1], d: [1, 1], ceil: false },
  { x: [1, 2, 7, 5], k: [3, 2], s: [2, 2], p: [1, 1], d: [1, 1], ceil: true },
  { x: [2, 1, 8, 9], k: [3, 3], s: [3, 2], p: [1, 0], d: [1, 1], ceil: true },
  { x: [1, 2, 5, 5], k: [2, 2], s: [2, 2], p: [0, 0], d: [1, 1], ceil: true }, // ceil adds a partial window
  { x: [1, 1, 9, 9], k: [3, 2], s: [1, 2], p: [1, 1], d: [2, 3], ceil: false }, // dilation (max only)
];
const label = (c: Case) => JSON.stringify(c);

function setup(c: Case) {
  const out: [number, number] = [
    torchOut(c.x[2]!, c.k[0], c.s[0], c.p[0], c.d[0], c.ceil),
    torchOut(c.x[3]!, c.k[1], c.s[1], c.p[1], c.d[1], c.ceil),
  ];
  const naive: NaivePoolOptions = {
    kernel: c.k,
    stride: c.s,
    pads: [c.p[0], c.p[1], c.p[0], c.p[1]],
    dilation: c.d,
    out,
  };
  return { out, naive };
}

/** Finite-difference check of a pooling gradient on a few random elements. */
function probeGrad(x: Tensor, f: (x: Tensor) => Tensor, grad: Tensor, r: Tensor) {
  const loss = () => {
    const y = f(x).toTypedArray();
    const rr = r.toTypedArray();
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i]! * rr[i]!;
    return s;
  };
  const h = 1e-6;
  for (let k = 0; k < 15; k++) {
    const i = generator.randint(0, x.size);
    const v = x.data[i]!;
    x.data[i] = v + h;
    const lp = loss();
    x.data[i] = v - h;
    const lm = loss();
    x.data[i] = v;
    expect(grad.data[i]!).toBeCloseTo((lp - lm) / (2 * h), 5);
  }
}

describe('maxPool2d', () => {
  for (const c of cases) {
    it(`matches the naive window max and its gradient: ${label(c)}`, () => {
      const x = rn(c.x);
      const { out, naive } = setup(c);
      const opts: MaxPool2dOptions = {
        kernelSize: c.k,
        stride: c.s,
        padding: c.p,
        dilation: c.d,
        ceilMode: c.ceil,
      };
      const y = maxPool2d(x, opts);
      expect(y.shape).toEqual([c.x[0], c.x[1], ...out]);
      expect(closeness(y, naiveMaxPool2d(x, naive), 0, 0)).toBe(0);
      const r = rn([...y.shape]);
      probeGrad(x, (t) => maxPool2d(t, opts), maxPool2dGrad(r, x, opts), r);
    });
  }
  it('defaults stride to kernelSize, sends tied gradients to the first max, accepts [C,H,W]', () => {
    const x = tensor([
      [
        [1, 1],
        [1, 1],
      ],
    ]);
    expect(maxPool2d(x, { kernelSize: 2 }).toArray()).toEqual([[[1]]]);
    expect(maxPool2dGrad(tensor([[[5]]]), x, { kernelSize: 2 }).toArray()).toEqual([
      [
        [5, 0],
        [0, 0],
      ],
    ]);
    expect(maxPool2d(rn([1, 1, 6, 6]), { kernelSize: 3 }).shape).toEqual([1, 1, 2, 2]);
  });
});

describe('avgPool2d', () => {
  for (const c of cases.filter((c) => c.d[0] === 1 && c.d[1] === 1)) {
    for (const countIncludePad of [true, false]) {
      it(`matches the naive window mean and its gradient (countIncludePad=${countIncludePad}): ${label(c)}`, () => {
        const x = rn(c.x);
        const { out, naive } = setup(c);
        const opts: AvgPool2dOptions = {
          kernelSize: c.k,
          stride: c.s,
          padding: c.p,
          ceilMode: c.ceil,
          countIncludePad,
        };
        const y = avgPool2d(x, opts);
        expect(y.shape).toEqual([c.x[0], c.x[1], ...out]);
        expect(closeness(y, naiveAvgPool2d(x, naive, countIncludePad), 1e-14, 1e-12)).toBeLessThanOrEqual(1);
        const r = rn([...y.shape]);
        probeGrad(x, (t) => avgPool2d(t, opts), avgPool2dGrad(r, x.shape, opts), r);
      });
    }
  }
  it('counts padding by default (PyTorch)', () => {
    const y = avgPool2d(tensor([[[[4]]]]), { kernelSize: 3, stride: 1, padding: 1 });
    expect(y.item()).toBeCloseTo(4 / 9, 6);
    expect(
      avgPool2d(tensor([[[[4]]]]), { kernelSize: 3, stride: 1, padding: 1, countIncludePad: false }).item(),
    ).toBe(4);
  });
  it('takes explicit asymmetric pads [top, left, bottom, right]', () => {
    const x = rn([1, 2, 5, 6]);
    const naive: NaivePoolOptions = { kernel: [3, 3], stride: [2, 2], pads: [0, 1, 2, 2], out: [3, 4] };
    const opts = { kernelSize: 3, stride: 2, pads: [0, 1, 2, 2] as const };
    expect(
      closeness(
        avgPool2d(x, { ...opts, countIncludePad: false }),
        naiveAvgPool2d(x, naive, false),
        1e-14,
        1e-12,
      ),
    ).toBeLessThanOrEqual(1);
    expect(closeness(maxPool2d(x, opts), naiveMaxPool2d(x, naive), 0, 0)).toBe(0);
  });
});

describe('pool errors', () => {
  it('name the op and the argument', () => {
    const x = rn([1, 1, 4, 4]);
    expect(() => maxPool2d(x, { kernelSize: 2, padding: 2 })).toThrow(
      /maxPool2d: padding should be at most half of kernel size/,
    );
    expect(() => avgPool2d(rn([4, 4]), { kernelSize: 2 })).toThrow(
      /avgPool2d: input must be 4-d \[N,C,H,W\].*received \[4,4\]/,
    );
    expect(() => maxPool2d(x, { kernelSize: 5 })).toThrow(/maxPool2d: output size \[0,0\] is too small/);
    expect(() => maxPool2d(x, { kernelSize: 0 })).toThrow(/maxPool2d: kernelSize must be an integer ≥ 1/);
    expect(() => maxPool2d(tensor([[[[1]]]], { dtype: 'int32' }), { kernelSize: 1 })).toThrow(
      /maxPool2d: input must be float32 or float64/,
    );
    expect(() => maxPool2dGrad(rn([1, 1, 3, 3]), x, { kernelSize: 2 })).toThrow(
      /maxPool2dGrad: dy must have the pooling output shape \[1,1,2,2\], received \[1,1,3,3\]/,
    );
  });
});
