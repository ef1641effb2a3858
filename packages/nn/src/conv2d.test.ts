import { Variable } from '@tsdl/autograd';
import { Generator, randn, type Tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { Conv2d } from './conv2d.js';

/** Direct-loop NCHW convolution, the definition (zero padding, groups). */
function referenceConv(x: Tensor, conv: Conv2d): { shape: number[]; data: number[] } {
  const [N, , Hh, W] = x.shape as [number, number, number, number];
  const w = conv.weight.data;
  const [O, Cg, KH, KW] = w.shape as [number, number, number, number];
  const [sh, sw] = conv.stride;
  const [ph, pw] = conv.padding;
  const [dh, dw] = conv.dilation;
  const OH = Math.floor((Hh + 2 * ph - dh * (KH - 1) - 1) / sh) + 1;
  const OW = Math.floor((W + 2 * pw - dw * (KW - 1) - 1) / sw) + 1;
  const out: number[] = [];
  const og = O / conv.groups;
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < OH; i++)
        for (let j = 0; j < OW; j++) {
          let s = conv.bias ? conv.bias.data.get(o) : 0;
          const g = Math.floor(o / og);
          for (let c = 0; c < Cg; c++)
            for (let a = 0; a < KH; a++)
              for (let b = 0; b < KW; b++) {
                const y = i * sh - ph + a * dh;
                const z = j * sw - pw + b * dw;
                if (y < 0 || y >= Hh || z < 0 || z >= W) continue;
                s += w.get(o, c, a, b) * x.get(n, g * Cg + c, y, z);
              }
          out.push(s);
        }
  return { shape: [N, O, OH, OW], data: out };
}

function expectMatches(conv: Conv2d, x: Tensor) {
  const y = conv.forward(x);
  const ref = referenceConv(x, conv);
  expect(y.shape).toEqual(ref.shape);
  const got = y.data.toTypedArray();
  for (let i = 0; i < ref.data.length; i++) expect(got[i]).toBeCloseTo(ref.data[i]!, 4);
}

describe('Conv2d', () => {
  it('has weight [out, in/groups, kh, kw] and bias [out] under PyTorch names', () => {
    const conv = new Conv2d(4, 6, [3, 2], { groups: 2 });
    expect(Object.entries(conv.stateDict()).map(([k, t]) => [k, t.shape])).toEqual([
      ['weight', [6, 2, 3, 2]],
      ['bias', [6]],
    ]);
    expect(Object.keys(new Conv2d(4, 6, 3, { bias: false }).stateDict())).toEqual(['weight']);
  });

  it('initialises weight and bias in U(±1/√fan_in) (kaiming-uniform a=√5), seeded', () => {
    const a = new Conv2d(8, 16, 3, { generator: new Generator(1) });
    const b = new Conv2d(8, 16, 3, { generator: new Generator(1) });
    const bound = 1 / Math.sqrt(8 * 9);
    const w = Array.from(a.weight.data.toTypedArray());
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    // Uniform on ±bound has variance bound²/3.
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(variance).toBeCloseTo((bound * bound) / 3, 3);
    expect(Math.max(...Array.from(a.bias!.data.toTypedArray()).map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Array.from(b.weight.data.toTypedArray())).toEqual(w);
  });

  it('computes the convolution with stride, padding, dilation and groups', () => {
    const g = new Generator(2);
    expectMatches(new Conv2d(3, 4, 3, { generator: g }), randn([2, 3, 6, 5], { generator: g }));
    expectMatches(
      new Conv2d(3, 2, [3, 2], { stride: [2, 1], padding: [1, 2], generator: g }),
      randn([1, 3, 7, 6], { generator: g }),
    );
    expectMatches(
      new Conv2d(4, 6, 3, { dilation: 2, groups: 2, padding: 2, generator: g }),
      randn([2, 4, 7, 7], { generator: g }),
    );
  });

  it('sends gradients to input, weight and bias', () => {
    const conv = new Conv2d(2, 3, 3, { padding: 1 });
    const x = new Variable(randn([2, 2, 4, 4]), true);
    conv.forward(x).sum().backward();
    expect(x.grad?.shape).toEqual([2, 2, 4, 4]);
    expect(conv.weight.grad?.shape).toEqual([3, 2, 3, 3]);
    // d(sum)/d(bias_o) counts the output positions: N · OH · OW.
    expect(Array.from(conv.bias!.grad!.toTypedArray())).toEqual([32, 32, 32]);
  });

  it('rejects channel counts that groups does not divide', () => {
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(
      /Conv2d: inChannels \(3\) and outChannels \(4\) must both be divisible by groups \(2\)/,
    );
    expect(() => new Conv2d(3, 4, 0)).toThrow(/kernelSize must be integers >= 1/);
  });
});
