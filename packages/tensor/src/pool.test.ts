import { describe, expect, it } from 'vitest';
import {
  type AvgPool2dOptions,
  avgPool2d,
  avgPool2dGrad,
  Generator,
  kernelBackend,
  type MaxPool2dOptions,
  maxPool2d,
  maxPool2dGrad,
  maxPool2dWithIndices,
  permute,
  randn,
  referenceKernels,
  setKernel,
  slice,
  type Tensor,
  tensor,
} from './index.js';
import { kernels } from './kernels.js';
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
      const { indices } = maxPool2dWithIndices(x, opts);
      expect(maxPool2dGrad(r, x, opts, indices).toTypedArray()).toEqual(
        maxPool2dGrad(r, x, opts).toTypedArray(),
      );
    });
  }
  it('maxPool2dGrad checks given indices: dtype, shape and range', () => {
    const x = rn([1, 2, 4, 4]);
    const opts = { kernelSize: 2 };
    const dy = rn([1, 2, 2, 2]);
    const { indices } = maxPool2dWithIndices(x, opts);
    expect(() => maxPool2dGrad(dy, x, opts, indices.to('float32'))).toThrow(
      /indices must be int32 of the output shape \[1,2,2,2\], received float32 \[1,2,2,2\]/,
    );
    const bad = indices.clone();
    bad.data[3] = 16;
    expect(() => maxPool2dGrad(dy, x, opts, bad)).toThrow(/index 16 at output 3 is outside its 4×4 plane/);
  });
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

/**
 * The documented argmax, found independently of the kernels: the first window cell (row-major
 * window order) holding the max, a NaN beating any number and the last NaN winning (PyTorch); -1 if the
 * window holds no real cell.
 */
function naiveArgmax(x: Tensor, o: NaivePoolOptions): Int32Array {
  const [H, W] = x.shape.slice(-2) as [number, number];
  const planes = x.size / (H * W);
  const xs = x.toTypedArray();
  const [dh, dw] = o.dilation ?? [1, 1];
  const out = new Int32Array(planes * o.out[0] * o.out[1]);
  let k = 0;
  for (let p = 0; p < planes; p++)
    for (let oh = 0; oh < o.out[0]; oh++)
      for (let ow = 0; ow < o.out[1]; ow++, k++) {
        const cells: number[] = [];
        for (let i = 0; i < o.kernel[0]; i++)
          for (let j = 0; j < o.kernel[1]; j++) {
            const h = oh * o.stride[0] - o.pads[0] + i * dh;
            const w = ow * o.stride[1] - o.pads[1] + j * dw;
            if (h >= 0 && h < H && w >= 0 && w < W) cells.push(h * W + w);
          }
        const v = (c: number) => xs[p * H * W + c]!;
        const nan = cells.filter((c) => Number.isNaN(v(c))).pop();
        const best = Math.max(...cells.map(v));
        out[k] = nan ?? cells.find((c) => v(c) === best) ?? -1;
      }
  return out;
}

/** Float32 values with ties, ±0, NaNs and ±Infinity sprinkled in (the cases the argmax rules decide). */
function awkward(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const pool = [Number.NaN, -0, 0, 1, 1, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = generator.random();
    x[i] =
      r < 0.08
        ? pool[generator.randint(0, pool.length)]!
        : r < 0.4
          ? generator.randint(-2, 3)
          : generator.normal();
  }
  return tensor(x, { shape });
}

const bits = (t: Tensor) => Array.from(new Int32Array(Float32Array.from(t.toTypedArray()).buffer));

describe('maxPool2dWithIndices', () => {
  for (const c of cases) {
    it(`gives maxPool2d's values and the documented argmax per plane: ${label(c)}`, () => {
      const x = awkward(c.x);
      const { naive } = setup(c);
      const opts: MaxPool2dOptions = {
        kernelSize: c.k,
        stride: c.s,
        padding: c.p,
        dilation: c.d,
        ceilMode: c.ceil,
      };
      const { values, indices } = maxPool2dWithIndices(x, opts);
      expect(indices.dtype).toBe('int32');
      expect(indices.shape).toEqual(values.shape);
      expect(bits(values)).toEqual(bits(maxPool2d(x, opts)));
      expect(Array.from(indices.toTypedArray())).toEqual(Array.from(naiveArgmax(x, naive)));
      // Each value is the input element its index names, bit for bit.
      const [H, W] = c.x.slice(2) as [number, number];
      const xs = x.toTypedArray();
      const idx = indices.toTypedArray();
      const n = values.shape[2]! * values.shape[3]!;
      const picked = tensor(
        Float32Array.from(idx, (a, k) => xs[Math.floor(k / n) * H * W + a]!),
        { shape: [...values.shape] },
      );
      expect(bits(picked)).toEqual(bits(values));
    });
  }

  // The installed kernel (WebAssembly where the engine has SIMD) against the reference kernel,
  // through the op, so the strided-input and geometry plumbing is covered too.
  const odd: { name: string; x: () => Tensor; opts: MaxPool2dOptions }[] = [
    { name: 'odd sizes', x: () => awkward([3, 5, 11, 7]), opts: { kernelSize: 3, stride: 2 } },
    {
      name: 'padding',
      x: () => awkward([2, 3, 9, 10]),
      opts: { kernelSize: [3, 4], stride: [2, 3], padding: [1, 2] },
    },
    {
      name: 'dilation',
      x: () => awkward([1, 4, 13, 12]),
      opts: { kernelSize: 3, stride: 1, padding: 1, dilation: [2, 3] },
    },
    {
      name: 'ceilMode',
      x: () => awkward([2, 2, 10, 9]),
      opts: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true },
    },
    {
      name: 'asymmetric pads',
      x: () => awkward([1, 3, 8, 8]),
      opts: { kernelSize: 2, stride: 2, pads: [0, 1, 3, 2] },
    },
    {
      name: 'permuted view',
      x: () => permute(awkward([2, 9, 8, 3]), [0, 3, 1, 2]),
      opts: { kernelSize: 2, stride: 1, padding: 1 },
    },
    {
      name: 'sliced view with an offset',
      x: () => slice(slice(awkward([3, 4, 12, 11]), 1, 1, 4), 3, 1, 11, 2),
      opts: { kernelSize: [2, 3], stride: [2, 1], ceilMode: true },
    },
    { name: 'unbatched [C,H,W]', x: () => awkward([5, 7, 6]), opts: { kernelSize: 2 } },
  ];
  for (const k of odd) {
    it(`installed kernel equals the reference kernel bit for bit (${k.name})`, () => {
      const x = k.x();
      const fast = maxPool2dWithIndices(x, k.opts);
      const prev = setKernel('maxPool2d', referenceKernels.maxPool2d);
      let ref: ReturnType<typeof maxPool2dWithIndices>;
      try {
        ref = maxPool2dWithIndices(x, k.opts);
      } finally {
        setKernel('maxPool2d', prev);
      }
      expect(bits(fast.values)).toEqual(bits(ref.values));
      expect(Array.from(fast.indices.toTypedArray())).toEqual(Array.from(ref.indices.toTypedArray()));
      expect(bits(fast.values)).toEqual(bits(maxPool2d(x, k.opts)));
    });
  }

  it('runs the fast kernel when one is installed (else the comparisons above are vacuous)', () => {
    if (kernelBackend() === 'js') {
      console.warn(
        'maxPool2dWithIndices: no WebAssembly SIMD here; the fast-path comparison ran the reference twice',
      );
      expect(kernels.maxPool2d).toBe(referenceKernels.maxPool2d);
    } else expect(kernels.maxPool2d).not.toBe(referenceKernels.maxPool2d);
  });

  it('sends a window with several NaNs to the last one, like PyTorch (reference and fast kernel)', () => {
    // torch.nn.functional.max_pool2d(x, 2, return_indices=True) gives indices [[4, 7]] here.
    const nan = Number.NaN;
    const x = tensor([nan, 1, 5, nan, nan, 2, 7, nan], { shape: [1, 1, 2, 4] });
    const want = [4, 7];
    expect(Array.from(maxPool2dWithIndices(x, { kernelSize: 2 }).indices.toTypedArray())).toEqual(want);
    const out = new Float32Array(2);
    const argmax = new Int32Array(2);
    const g = { H: 2, W: 4, OH: 1, OW: 2, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 };
    referenceKernels.maxPool2d(x.toTypedArray() as Float32Array, 1, g, out, argmax);
    expect(Array.from(argmax)).toEqual(want);
    expect(Number.isNaN(out[0]!) && Number.isNaN(out[1]!)).toBe(true);
  });

  it('gives -1 where a window saw only padding (explicit pads) and float64 keeps its dtype', () => {
    const x = tensor(
      [
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ],
      { dtype: 'float64' },
    );
    const { values, indices } = maxPool2dWithIndices(x, { kernelSize: 1, stride: 2, pads: [0, 0, 2, 0] });
    expect(values.dtype).toBe('float64');
    expect(values.toArray()).toEqual([[[[1], [-Infinity]]]]);
    expect(indices.toArray()).toEqual([[[[0], [-1]]]]);
  });

  it('names itself in errors', () => {
    expect(() => maxPool2dWithIndices(rn([1, 1, 4, 4]), { kernelSize: 5 })).toThrow(
      /maxPool2dWithIndices: output size \[0,0\] is too small/,
    );
    expect(() => maxPool2dWithIndices(tensor([[[[1]]]], { dtype: 'int32' }), { kernelSize: 1 })).toThrow(
      /maxPool2dWithIndices: input must be float32 or float64, received int32/,
    );
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
