import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  Generator,
  type MaxUnpool2dOptions,
  maxPool2dWithIndices,
  maxUnpool2d,
  permute,
  randn,
  randperm,
  reshape,
  slice,
  type Tensor,
  tensor,
} from './index.js';

const generator = new Generator(21);
const rn = (shape: number[]) => randn(shape, { generator });

/** Scatter by a direct loop over (plane, position) with explicit multi-indices. */
function naiveUnpool(x: Tensor, idx: Tensor, out: [number, number]): number[] {
  const lead = x.shape.slice(0, -2);
  const [H, W] = x.shape.slice(-2) as [number, number];
  const planes = lead.reduce((a, b) => a * b, 1);
  const y = new Array<number>(planes * out[0] * out[1]).fill(0);
  const at = (t: Tensor, p: number, h: number, w: number) =>
    lead.length === 2 ? t.get(Math.floor(p / lead[1]!), p % lead[1]!, h, w) : t.get(p, h, w);
  for (let p = 0; p < planes; p++)
    for (let h = 0; h < H; h++)
      for (let w = 0; w < W; w++) y[p * out[0] * out[1] + at(idx, p, h, w)] = at(x, p, h, w);
  return y;
}

/** Distinct random positions in each output plane (so the scatter order cannot matter). */
function randomIndices(shape: number[], out: [number, number]): Tensor {
  const [H, W] = shape.slice(-2) as [number, number];
  const planes = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const parts: number[] = [];
  for (let p = 0; p < planes; p++) {
    const perm = randperm(out[0] * out[1], { generator }).toTypedArray();
    parts.push(...Array.from(perm.subarray(0, H * W)));
  }
  return tensor(parts, { dtype: 'int32', shape });
}

describe('maxUnpool2d', () => {
  const windows: [string, number[], MaxUnpool2dOptions][] = [
    ['k2 s2', [2, 3, 4, 5], { kernelSize: 2 }],
    ['k3 s2 p1', [1, 2, 3, 4], { kernelSize: 3, stride: 2, padding: 1 }],
    ['k[3,2] s[1,2] p[1,0]', [2, 1, 5, 3], { kernelSize: [3, 2], stride: [1, 2], padding: [1, 0] }],
    ['unbatched', [3, 2, 2], { kernelSize: 4, stride: 3 }],
  ];
  for (const [name, shape, opts] of windows) {
    it(`scatters into zero planes of PyTorch's default size (${name})`, () => {
      const k = typeof opts.kernelSize === 'number' ? [opts.kernelSize, opts.kernelSize] : opts.kernelSize;
      const s =
        opts.stride === undefined
          ? k
          : typeof opts.stride === 'number'
            ? [opts.stride, opts.stride]
            : opts.stride;
      const p =
        opts.padding === undefined
          ? [0, 0]
          : typeof opts.padding === 'number'
            ? [opts.padding, opts.padding]
            : opts.padding;
      // torch.nn.functional._unpool_output_size: (in - 1)·stride - 2·padding + kernel.
      const out = [0, 1].map((i) => (shape.at(i - 2)! - 1) * s[i]! - 2 * p[i]! + k[i]!) as [number, number];
      const x = rn(shape);
      const idx = randomIndices(shape, out);
      const y = maxUnpool2d(x, idx, opts);
      expect(y.shape).toEqual([...shape.slice(0, -2), ...out]);
      expect(y.dtype).toBe('float32');
      expect(Array.from(y.toTypedArray())).toEqual(naiveUnpool(x, idx, out));
    });
  }

  it('reads strided x and indices (permuted and sliced views)', () => {
    const base = rn([3, 4, 2, 5]);
    const x = permute(slice(base, 1, 1, 4), [2, 1, 3, 0]); // [2, 3, 5, 3]
    const idx = permute(randomIndices([3, 5, 2, 3], [6, 7]), [2, 0, 1, 3]); // [2, 3, 5, 3]
    const opts = { kernelSize: 2, stride: [1, 2] as const, outputSize: [6, 7] };
    expect(Array.from(maxUnpool2d(x, idx, opts).toTypedArray())).toEqual(naiveUnpool(x, idx, [6, 7]));
  });

  it('undoes maxPool2dWithIndices: each max back in place, zeros elsewhere', () => {
    for (const [shape, opts] of [
      [[2, 3, 7, 9], { kernelSize: 2 }],
      [[1, 2, 8, 7], { kernelSize: 3, stride: 2, padding: 1 }],
      [[2, 1, 5, 6], { kernelSize: [2, 3], stride: [2, 1], padding: [1, 1] }],
    ] as [number[], MaxUnpool2dOptions][]) {
      const x = add(abs(rn(shape)), 0.1); // positive, so the zeros never win the re-pooling below
      const { values, indices } = maxPool2dWithIndices(x, opts);
      const y = maxUnpool2d(values, indices, { ...opts, outputSize: shape });
      expect(y.shape).toEqual(shape);
      const [H, W] = shape.slice(-2) as [number, number];
      const kept = new Set<number>();
      const idx = indices.toTypedArray();
      const per = values.shape.at(-2)! * values.shape.at(-1)!;
      idx.forEach((a, k) => {
        kept.add(Math.floor(k / per) * H * W + a);
      });
      const xs = x.toTypedArray();
      const ys = y.toTypedArray();
      for (let i = 0; i < xs.length; i++) expect(ys[i]).toBe(kept.has(i) ? xs[i] : 0);
      // Pooling the unpooled planes gives the pooled values back (ONNX's "partial inverse" property).
      expect(maxPool2dWithIndices(y, opts).values.toArray()).toEqual(values.toArray());
    }
  });

  it('lets the last of repeated indices win and keeps float64', () => {
    const x = tensor([[[[1, 2, 3]]]], { dtype: 'float64' });
    const y = maxUnpool2d(x, tensor([[[[4, 1, 4]]]], { dtype: 'int32' }), { kernelSize: [1, 2] });
    expect(y.dtype).toBe('float64');
    expect(y.toArray()).toEqual([[[[0, 2, 0, 0, 3, 0]]]]);
  });

  it('takes outputSize as [H, W] or the full shape, within one stride of the default', () => {
    const x = rn([1, 2, 2, 3]);
    const idx = reshape(
      tensor(
        Array.from({ length: 12 }, (_, i) => i % 6),
        { dtype: 'int32' },
      ),
      [1, 2, 2, 3],
    );
    // default 4×6 with kernel 2, stride 2: 3..5 × 5..7 are allowed.
    expect(maxUnpool2d(x, idx, { kernelSize: 2, outputSize: [5, 7] }).shape).toEqual([1, 2, 5, 7]);
    expect(maxUnpool2d(x, idx, { kernelSize: 2, outputSize: [1, 2, 3, 5] }).shape).toEqual([1, 2, 3, 5]);
    expect(() => maxUnpool2d(x, idx, { kernelSize: 2, outputSize: [6, 6] })).toThrow(
      /maxUnpool2d: outputSize \[6,6\] is out of range for input \[1,2,2,3\]: each dim must be within stride of the default \[4,6\], here 3\.\.5 × 5\.\.7/,
    );
    expect(() => maxUnpool2d(x, idx, { kernelSize: 2, outputSize: [2, 2, 4, 6] })).toThrow(
      /maxUnpool2d: outputSize must be \[H, W\] or the output shape \[1,2,H,W\], received \[2,2,4,6\]/,
    );
  });

  it('rejects bad indices, naming the value and where it is', () => {
    const x = rn([1, 1, 2, 2]);
    expect(() =>
      maxUnpool2d(
        x,
        tensor(
          [
            [
              [
                [0, 1],
                [16, 3],
              ],
            ],
          ],
          { dtype: 'int32' },
        ),
        { kernelSize: 2 },
      ),
    ).toThrow(
      /maxUnpool2d: indices value 16 at flat position 2 is out of range for an output plane of \[4,4\] \(valid: 0\.\.15\)/,
    );
    expect(() =>
      maxUnpool2d(
        x,
        tensor(
          [
            [
              [
                [0, -1],
                [2, 3],
              ],
            ],
          ],
          { dtype: 'int32' },
        ),
        { kernelSize: 2 },
      ),
    ).toThrow(/indices value -1 at flat position 1/);
    expect(() =>
      maxUnpool2d(
        x,
        tensor([
          [
            [
              [0, 1],
              [2, 3],
            ],
          ],
        ]),
        { kernelSize: 2 },
      ),
    ).toThrow(/maxUnpool2d: indices must be int32 of x's shape \[1,1,2,2\], received float32 \[1,1,2,2\]/);
    expect(() => maxUnpool2d(x, tensor([[0, 1, 2, 3]], { dtype: 'int32' }), { kernelSize: 2 })).toThrow(
      /received int32 \[1,4\]/,
    );
    expect(() => maxUnpool2d(rn([4, 4]), tensor([[0]], { dtype: 'int32' }), { kernelSize: 2 })).toThrow(
      /maxUnpool2d: x must be 4-d \[N,C,H,W\] \(or 3-d \[C,H,W\]\), received \[4,4\]/,
    );
    expect(() =>
      maxUnpool2d(
        x,
        tensor(
          [
            [
              [
                [0, 1],
                [2, 3],
              ],
            ],
          ],
          { dtype: 'int32' },
        ),
        { kernelSize: 1, padding: 1 },
      ),
    ).toThrow(/maxUnpool2d: the default output size \[0,0\] is empty for input \[1,1,2,2\]; pass outputSize/);
  });
});
