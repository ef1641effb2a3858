import { describe, expect, it } from 'vitest';
import { adaptiveAvgPool2d, adaptiveAvgPool2dGrad } from './adaptive-avg-pool2d.js';
import { avgPool2d } from './pool.js';
import { Generator, randn } from './random.js';
import type { Tensor } from './tensor.js';
import { build } from './test-utils/naive.js';
import { permute } from './view.js';

const f64 = (shape: number[], seed: number) =>
  randn(shape, { dtype: 'float64', generator: new Generator(seed) });

/** PyTorch's documented window of output cell i: [floor(i·n/o), ceil((i+1)·n/o)). */
const win = (i: number, n: number, o: number): [number, number] => [
  Math.floor((i * n) / o),
  Math.ceil(((i + 1) * n) / o),
];

/** Mean of each window, read element by element with get(). */
function naive(x: Tensor, oh: number, ow: number): Tensor {
  const H = x.shape.at(-2)!;
  const W = x.shape.at(-1)!;
  return build([...x.shape.slice(0, -2), oh, ow], (idx) => {
    const [h0, h1] = win(idx.at(-2)!, H, oh);
    const [w0, w1] = win(idx.at(-1)!, W, ow);
    let s = 0;
    for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) s += x.get(...idx.slice(0, -2), h, w);
    return s / ((h1 - h0) * (w1 - w0));
  });
}

const dot = (a: Tensor, b: Tensor) => {
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
};

function expectClose(actual: Tensor, expected: Tensor, tol: number) {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.toTypedArray();
  const e = expected.toTypedArray();
  for (let i = 0; i < e.length; i++)
    expect(Math.abs(a[i]! - e[i]!), `element ${i}`).toBeLessThanOrEqual(tol * (1 + Math.abs(e[i]!)));
}

const cases: { x: number[]; out: number | [number | null, number | null]; want: [number, number] }[] = [
  { x: [2, 3, 7, 5], out: [3, 2], want: [3, 2] }, // uneven: windows of 3 rows overlap by one
  { x: [1, 2, 6, 6], out: 3, want: [3, 3] },
  { x: [2, 2, 5, 4], out: 1, want: [1, 1] },
  { x: [1, 1, 3, 2], out: [5, 4], want: [5, 4] }, // more cells than inputs: windows repeat
  { x: [1, 2, 9, 7], out: [null, 3], want: [9, 3] },
  { x: [3, 7, 5], out: [4, null], want: [4, 5] }, // unbatched CHW
];

describe('adaptiveAvgPool2d', () => {
  for (const c of cases) {
    const label = `[${c.x}] → ${JSON.stringify(c.out)}`;
    it(`matches the naive windows: ${label}`, () => {
      const x = f64(c.x, 1);
      const y = adaptiveAvgPool2d(x, c.out);
      expect(y.shape).toEqual([...c.x.slice(0, -2), ...c.want]);
      expectClose(y, naive(x, ...c.want), 1e-15);
      expect(adaptiveAvgPool2d(x.to('float32'), c.out).dtype).toBe('float32');
    });

    it(`gradient is the adjoint of the forward (⟨pool(x), g⟩ = ⟨x, grad(g)⟩): ${label}`, () => {
      const x = f64(c.x, 2);
      const g = f64([...c.x.slice(0, -2), ...c.want], 3);
      const dx = adaptiveAvgPool2dGrad(g, c.x);
      expect(dx.shape).toEqual(c.x);
      expect(Math.abs(dot(adaptiveAvgPool2d(x, c.out), g) - dot(x, dx))).toBeLessThan(1e-12);
      // And element by element: the gradient of each input is the sum of dy/count over the cells it is in.
      const H = c.x.at(-2)!;
      const W = c.x.at(-1)!;
      const [oh, ow] = c.want;
      const ref = build(c.x, (idx) => {
        const [h, w] = [idx.at(-2)!, idx.at(-1)!];
        let s = 0;
        for (let i = 0; i < oh; i++)
          for (let j = 0; j < ow; j++) {
            const [h0, h1] = win(i, H, oh);
            const [w0, w1] = win(j, W, ow);
            if (h >= h0 && h < h1 && w >= w0 && w < w1)
              s += g.get(...idx.slice(0, -2), i, j) / ((h1 - h0) * (w1 - w0));
          }
        return s;
      });
      expectClose(dx, ref, 1e-15);
    });
  }

  it('equals avgPool2d when the size divides evenly, and reads strided input', () => {
    const x = f64([2, 3, 8, 6], 4);
    expectClose(adaptiveAvgPool2d(x, [4, 2]), avgPool2d(x, { kernelSize: [2, 3] }), 1e-15);
    const t = permute(f64([2, 7, 5, 3], 5), [0, 3, 1, 2]); // [2, 3, 7, 5] non-contiguous
    expect(Array.from(adaptiveAvgPool2d(t, [3, 2]).toTypedArray())).toEqual(
      Array.from(adaptiveAvgPool2d(t.contiguous(), [3, 2]).toTypedArray()),
    );
  });

  it('names bad arguments', () => {
    const x = f64([1, 2, 4, 4], 6);
    expect(() => adaptiveAvgPool2d(f64([4, 4], 1), 2)).toThrow(
      /adaptiveAvgPool2d: input must be 4-d \[N,C,H,W\] or 3-d \[C,H,W\] with nonzero C, H, W, received \[4,4\]/,
    );
    expect(() => adaptiveAvgPool2d(x, 0)).toThrow(
      /outputSize must be positive integers \(or null\), received 0/,
    );
    expect(() => adaptiveAvgPool2d(x, [2, 1.5])).toThrow(/received \[2,1.5\]/);
    expect(() => adaptiveAvgPool2d(x, [2] as never)).toThrow(
      /outputSize must be a number or \[h, w\], received \[2\]/,
    );
    expect(() => adaptiveAvgPool2dGrad(f64([1, 3, 2, 2], 1), [1, 2, 4, 4])).toThrow(
      /adaptiveAvgPool2dGrad: dy must have shape \[1,2,oh,ow\] for input \[1,2,4,4\], received \[1,3,2,2\]/,
    );
  });
});
