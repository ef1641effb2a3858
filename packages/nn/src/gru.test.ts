import { gradcheck } from '@tsdl/autograd';
import { Generator, randn, type Tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { GRU } from './gru.js';
import { recordingBuilder } from './test-utils/onnx-recorder.js';

const sig = (v: number) => 1 / (1 + Math.exp(-v));
const arr = (t: Tensor) => Array.from(t.toTypedArray());

/**
 * Plain-loop GRU over [T, N, I] with PyTorch's equations (gates r, z, n), any number of layers. The
 * reverse direction (suffix _reverse) walks t = T-1 … 0; its features follow the forward ones at each
 * step and its final h follows the forward one in each layer.
 */
function referenceGru(gru: GRU, x: Tensor, h0?: Tensor) {
  const [T, N, I] = x.shape as [number, number, number];
  const H = gru.hiddenSize;
  const D = gru.bidirectional ? 2 : 1;
  const sd = gru.stateDict();
  const xs = arr(x);
  let seq = Array.from({ length: T * N }, (_, r) => xs.slice(r * I, (r + 1) * I)); // row t·N + n
  const hN: number[] = [];
  for (let l = 0; l < gru.numLayers; l++) {
    const F = seq[0]!.length;
    const out = Array.from({ length: T * N }, (): number[] => []);
    for (let d = 0; d < D; d++) {
      const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
      const row = l * D + d;
      const [wih, whh, bih, bhh] = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map((k) =>
        arr(sd[k + sfx]!),
      ) as number[][];
      const h = Array.from({ length: N }, (_, n) =>
        h0 ? arr(h0).slice((row * N + n) * H, (row * N + n + 1) * H) : new Array(H).fill(0),
      );
      const proj = (w: number[], b: number[], v: number[], K: number) =>
        Array.from({ length: 3 * H }, (_, g) => {
          let s = b[g]!;
          for (let k = 0; k < K; k++) s += w[g * K + k]! * v[k]!;
          return s;
        });
      for (let step = 0; step < T; step++) {
        const t = d === 0 ? step : T - 1 - step;
        for (let n = 0; n < N; n++) {
          const xi = proj(wih!, bih!, seq[t * N + n]!, F);
          const hh = proj(whh!, bhh!, h[n]!, H);
          h[n] = h[n]!.map((hv, j) => {
            const r = sig(xi[j]! + hh[j]!);
            const z = sig(xi[H + j]! + hh[H + j]!);
            const nn = Math.tanh(xi[2 * H + j]! + r * hh[2 * H + j]!);
            return (1 - z) * nn + z * hv;
          });
          out[t * N + n]!.push(...h[n]!);
        }
      }
      hN.push(...h.flat());
    }
    seq = out;
  }
  return { output: seq.flat(), h: hN };
}

function maxDiff(a: ArrayLike<number>, b: number[]): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('GRU', () => {
  it('has PyTorch parameter names and [3H, ·] shapes', () => {
    const gru = new GRU(3, 5, { numLayers: 2 });
    expect(gru.namedParameters().map(([k, p]) => `${k}:${p.shape.join('x')}`)).toEqual([
      'weight_ih_l0:15x3',
      'weight_hh_l0:15x5',
      'bias_ih_l0:15',
      'bias_hh_l0:15',
      'weight_ih_l1:15x5',
      'weight_hh_l1:15x5',
      'bias_ih_l1:15',
      'bias_hh_l1:15',
    ]);
  });

  it('matches the r, z, n equations (r gates W_hn h + b_hn), with and without h0', () => {
    const g = new Generator(7);
    const gru = new GRU(3, 4, { generator: g });
    const x = randn([5, 2, 3], { generator: g });
    const [out, h] = gru.forward(x);
    expect(out.shape).toEqual([5, 2, 4]);
    expect(h.shape).toEqual([1, 2, 4]);
    const ref = referenceGru(gru, x);
    expect(maxDiff(out.data.toTypedArray(), ref.output)).toBeLessThan(1e-5);
    expect(maxDiff(h.data.toTypedArray(), ref.h)).toBeLessThan(1e-5);
    const h0 = randn([1, 2, 4], { generator: g });
    const [out2] = gru.forward(x, h0);
    expect(maxDiff(out2.data.toTypedArray(), referenceGru(gru, x, h0).output)).toBeLessThan(1e-5);
  });

  it('stacks layers, honours batchFirst and passes gradcheck', () => {
    const g = new Generator(8);
    const gru = new GRU(2, 3, { numLayers: 2, batchFirst: true, generator: g });
    const [out, h] = gru.forward(randn([4, 6, 2], { generator: g }));
    expect(out.shape).toEqual([4, 6, 3]);
    expect(h.shape).toEqual([2, 4, 3]);
    for (const p of gru.parameters()) p.data = p.data.to('float64');
    const x = randn([2, 3, 2], { generator: g });
    const h0 = randn([2, 2, 3], { generator: g });
    expect(
      gradcheck(
        (xv, hv) => {
          const [o, hn] = gru.forward(xv!, hv!);
          return o.sum().add(hn.sum());
        },
        [x, h0],
      ),
    ).toBe(true);
  });

  it('rejects a wrong h0, counting both directions when bidirectional', () => {
    expect(() => new GRU(3, 4).forward(randn([5, 2, 3]), randn([1, 3, 4]))).toThrow(
      /h0 must have shape \[1,2,4\]/,
    );
    expect(() => new GRU(3, 4, { bidirectional: true }).forward(randn([5, 2, 3]), randn([1, 2, 4]))).toThrow(
      /GRU: initial state h0 must have shape \[2,2,4\], received \[1,2,4\]/,
    );
  });

  it("toOnnx writes ONNX GRU nodes: gates z, r, h and linear_before_reset=1 (PyTorch's n)", () => {
    const gru = new GRU(2, 2, { generator: new Generator(9) });
    const { g, nodes, consts } = recordingBuilder();
    expect(gru.toOnnx(g, ['x'], { inputs: [randn([5, 1, 2])] })).toHaveLength(2);
    const node = nodes.find((n) => n.op === 'GRU')!;
    expect(node.attrs).toEqual({ hidden_size: { i: 2 }, linear_before_reset: { i: 1 } });
    expect(node.inputs).toHaveLength(4); // trailing optional inputs (sequence_lens, initial_h) left out
    const w = arr(gru.stateDict().weight_hh_l0!); // rows r(0-1) z(2-3) n(4-5)
    const rows = (r: number[]) => r.flatMap((k) => w.slice(k * 2, k * 2 + 2));
    expect(arr(consts.get(node.inputs[2]!)!)).toEqual(rows([2, 3, 0, 1, 4, 5]));
  });

  describe('bidirectional', () => {
    it('registers l{k} then l{k}_reverse per layer; layers k > 0 read 2H features', () => {
      const gru = new GRU(3, 5, { numLayers: 2, bidirectional: true });
      expect(gru.bidirectional).toBe(true);
      expect(gru.namedParameters().map(([k, p]) => `${k}:${p.shape.join('x')}`)).toEqual([
        'weight_ih_l0:15x3',
        'weight_hh_l0:15x5',
        'bias_ih_l0:15',
        'bias_hh_l0:15',
        'weight_ih_l0_reverse:15x3',
        'weight_hh_l0_reverse:15x5',
        'bias_ih_l0_reverse:15',
        'bias_hh_l0_reverse:15',
        'weight_ih_l1:15x10',
        'weight_hh_l1:15x5',
        'bias_ih_l1:15',
        'bias_hh_l1:15',
        'weight_ih_l1_reverse:15x10',
        'weight_hh_l1_reverse:15x5',
        'bias_ih_l1_reverse:15',
        'bias_hh_l1_reverse:15',
      ]);
    });

    it('matches a plain-loop reference, 2 layers, with and without h0; batchFirst and unbatched agree', () => {
      const g = new Generator(18);
      const gru = new GRU(3, 4, { numLayers: 2, bidirectional: true, generator: g });
      const x = randn([5, 2, 3], { generator: g });
      const [out, h] = gru.forward(x);
      expect(out.shape).toEqual([5, 2, 8]);
      expect(h.shape).toEqual([4, 2, 4]);
      const ref = referenceGru(gru, x);
      expect(maxDiff(out.data.toTypedArray(), ref.output)).toBeLessThan(1e-5);
      expect(maxDiff(h.data.toTypedArray(), ref.h)).toBeLessThan(1e-5);
      const h0 = randn([4, 2, 4], { generator: g });
      const [out2, h2] = gru.forward(x, h0);
      const ref2 = referenceGru(gru, x, h0);
      expect(maxDiff(out2.data.toTypedArray(), ref2.output)).toBeLessThan(1e-5);
      expect(maxDiff(h2.data.toTypedArray(), ref2.h)).toBeLessThan(1e-5);

      const bf = new GRU(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true });
      bf.loadStateDict(gru.stateDict());
      const [o3, h3] = bf.forward(x.transpose(0, 1).contiguous(), h0);
      expect(o3.shape).toEqual([2, 5, 8]);
      expect(maxDiff(o3.data.transpose(0, 1).toTypedArray(), ref2.output)).toBeLessThan(1e-5);
      expect(maxDiff(h3.data.toTypedArray(), ref2.h)).toBeLessThan(1e-5);
      const [o4, h4] = gru.forward(x.slice(1, 0, 1).reshape([5, 3]));
      expect(o4.shape).toEqual([5, 8]);
      expect(h4.shape).toEqual([4, 4]);
      expect(maxDiff(o4.data.toTypedArray(), arr(out.data.slice(1, 0, 1)))).toBeLessThan(1e-5);
    });

    it('passes gradcheck in float64, 2 layers', () => {
      const g = new Generator(19);
      const gru = new GRU(2, 3, { numLayers: 2, bidirectional: true, generator: g });
      for (const p of gru.parameters()) p.data = p.data.to('float64');
      const x = randn([3, 2, 2], { generator: g });
      const h0 = randn([4, 2, 3], { generator: g });
      const wOut = randn([3, 2, 6], { generator: g, dtype: 'float64' });
      const wState = randn([4, 2, 3], { generator: g, dtype: 'float64' });
      expect(
        gradcheck(
          (xv, hv) => {
            const [o, hn] = gru.forward(xv!, hv!);
            return o.mul(wOut).sum().add(hn.mul(wState).sum());
          },
          [x, h0],
        ),
      ).toBe(true);
      gru.zeroGrad();
      gru.forward(x.to('float64'))[0].sum().backward();
      for (const [name, p] of gru.namedParameters()) expect(p.grad?.shape, name).toEqual(p.shape);
    });

    it('toOnnx writes bidirectional GRU nodes with [2, 3H, ·] weights, forward first', () => {
      const gru = new GRU(2, 2, { bidirectional: true, generator: new Generator(20) });
      const { g, nodes, consts } = recordingBuilder();
      expect(gru.toOnnx(g, ['x', 'h0'], { inputs: [randn([5, 1, 2])] })).toHaveLength(2);
      expect(nodes.map((n) => n.op)).toEqual(['Slice', 'GRU', 'Transpose', 'Reshape']);
      const node = nodes[1]!;
      expect(node.attrs).toEqual({
        hidden_size: { i: 2 },
        direction: { s: 'bidirectional' },
        linear_before_reset: { i: 1 },
      });
      const sd = gru.stateDict();
      const rows = (w: number[]) => [2, 3, 0, 1, 4, 5].flatMap((k) => w.slice(k * 2, k * 2 + 2));
      const R = consts.get(node.inputs[2]!)!;
      expect(R.shape).toEqual([2, 6, 2]);
      expect(arr(R)).toEqual([...rows(arr(sd.weight_hh_l0!)), ...rows(arr(sd.weight_hh_l0_reverse!))]);
    });
  });
});
