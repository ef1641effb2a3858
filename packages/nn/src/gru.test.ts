import { gradcheck, type OnnxAttr, type OnnxGraphBuilder } from '@tsdl/autograd';
import { Generator, randn, type Tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { GRU } from './gru.js';

const sig = (v: number) => 1 / (1 + Math.exp(-v));
const arr = (t: Tensor) => Array.from(t.toTypedArray());

/** Plain-loop one-layer GRU over [T, N, I] with PyTorch's equations (gates r, z, n). */
function referenceGru(gru: GRU, x: Tensor, h0?: Tensor) {
  const [T, N, I] = x.shape as [number, number, number];
  const H = gru.hiddenSize;
  const sd = gru.stateDict();
  const [wih, whh, bih, bhh] = ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0'].map((k) =>
    arr(sd[k]!),
  ) as number[][];
  const xs = arr(x);
  const h = Array.from({ length: N }, (_, n) =>
    h0 ? arr(h0).slice(n * H, (n + 1) * H) : new Array(H).fill(0),
  );
  const out: number[] = [];
  for (let t = 0; t < T; t++) {
    for (let n = 0; n < N; n++) {
      const proj = (w: number[], b: number[], v: number[], F: number) =>
        Array.from({ length: 3 * H }, (_, g) => {
          let s = b[g]!;
          for (let k = 0; k < F; k++) s += w[g * F + k]! * v[k]!;
          return s;
        });
      const xi = proj(wih!, bih!, xs.slice((t * N + n) * I, (t * N + n + 1) * I), I);
      const hh = proj(whh!, bhh!, h[n]!, H);
      h[n] = h[n]!.map((hv, j) => {
        const r = sig(xi[j]! + hh[j]!);
        const z = sig(xi[H + j]! + hh[H + j]!);
        const nn = Math.tanh(xi[2 * H + j]! + r * hh[2 * H + j]!);
        return (1 - z) * nn + z * hv;
      });
      out.push(...h[n]!);
    }
  }
  return { output: out, h: h.flat() };
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

  it('rejects bidirectional and a wrong h0', () => {
    expect(() => new GRU(3, 4, { bidirectional: true })).toThrow(/GRU: bidirectional is not supported/);
    expect(() => new GRU(3, 4).forward(randn([5, 2, 3]), randn([1, 3, 4]))).toThrow(
      /h0 must have shape \[1,2,4\]/,
    );
  });

  it("toOnnx writes ONNX GRU nodes: gates z, r, h and linear_before_reset=1 (PyTorch's n)", () => {
    const gru = new GRU(2, 2, { generator: new Generator(9) });
    const nodes: { op: string; inputs: readonly string[]; attrs: Record<string, OnnxAttr> }[] = [];
    const consts = new Map<string, Tensor>();
    const g: OnnxGraphBuilder = {
      opset: 17,
      node: (op, inputs, attrs = {}, outputs = 1) => {
        nodes.push({ op, inputs, attrs });
        return Array.from({ length: outputs }, (_, i) => `${op}${nodes.length}:${i}`);
      },
      constant: (t, name = 'c') => {
        consts.set(name, t);
        return name;
      },
      int64: (v) => `i64[${v.join(',')}]`,
    };
    expect(gru.toOnnx(g, ['x'], { inputs: [randn([5, 1, 2])] })).toHaveLength(2);
    const node = nodes.find((n) => n.op === 'GRU')!;
    expect(node.attrs).toEqual({ hidden_size: { i: 2 }, linear_before_reset: { i: 1 } });
    expect(node.inputs).toHaveLength(4); // trailing optional inputs (sequence_lens, initial_h) left out
    const w = arr(gru.stateDict().weight_hh_l0!); // rows r(0-1) z(2-3) n(4-5)
    const rows = (r: number[]) => r.flatMap((k) => w.slice(k * 2, k * 2 + 2));
    expect(arr(consts.get(node.inputs[2]!)!)).toEqual(rows([2, 3, 0, 1, 4, 5]));
  });
});
