import { gradcheck, Variable } from '@tsdl/autograd';
import { Generator, randn, type Tensor, zeros } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { LSTM } from './lstm.js';
import { recordingBuilder } from './test-utils/onnx-recorder.js';

const sig = (v: number) => 1 / (1 + Math.exp(-v));
const arr = (t: Tensor) => Array.from(t.toTypedArray());

/**
 * Plain-loop LSTM over [T, N, I] (PyTorch's equations, gates i f g o); returns output and final h, c
 * per layer and direction. The reverse direction (suffix _reverse) walks t = T-1 … 0, its features
 * follow the forward ones at each step, and its states follow the forward ones in each layer.
 */
function referenceLstm(lstm: LSTM, x: Tensor, h0?: Tensor, c0?: Tensor) {
  const [T, N] = x.shape as [number, number, number];
  const H = lstm.hiddenSize;
  const D = lstm.bidirectional ? 2 : 1;
  const sd = lstm.stateDict();
  let seq: number[][][] = []; // [T][N][F]
  const xs = arr(x);
  const I = lstm.inputSize;
  for (let t = 0; t < T; t++)
    seq.push(Array.from({ length: N }, (_, n) => xs.slice((t * N + n) * I, (t * N + n + 1) * I)));
  const hN: number[][][] = [];
  const cN: number[][][] = [];
  for (let l = 0; l < lstm.numLayers; l++) {
    const out: number[][][] = Array.from({ length: T }, () => Array.from({ length: N }, () => []));
    for (let d = 0; d < D; d++) {
      const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
      const row = l * D + d; // of h0, c0, hN, cN
      const wih = arr(sd[`weight_ih${sfx}`]!);
      const whh = arr(sd[`weight_hh${sfx}`]!);
      const bih = lstm.bias ? arr(sd[`bias_ih${sfx}`]!) : new Array(4 * H).fill(0);
      const bhh = lstm.bias ? arr(sd[`bias_hh${sfx}`]!) : new Array(4 * H).fill(0);
      const F = seq[0]![0]!.length;
      const h = Array.from({ length: N }, (_, n) =>
        h0 ? arr(h0).slice((row * N + n) * H, (row * N + n + 1) * H) : new Array(H).fill(0),
      );
      const c = Array.from({ length: N }, (_, n) =>
        c0 ? arr(c0).slice((row * N + n) * H, (row * N + n + 1) * H) : new Array(H).fill(0),
      );
      for (let step = 0; step < T; step++) {
        const t = d === 0 ? step : T - 1 - step;
        for (let n = 0; n < N; n++) {
          const z = new Array(4 * H).fill(0).map((_, g) => {
            let s = bih[g]! + bhh[g]!;
            for (let k = 0; k < F; k++) s += wih[g * F + k]! * seq[t]![n]![k]!;
            for (let k = 0; k < H; k++) s += whh[g * H + k]! * h[n]![k]!;
            return s;
          });
          for (let j = 0; j < H; j++) {
            const i = sig(z[j]!);
            const f = sig(z[H + j]!);
            const g = Math.tanh(z[2 * H + j]!);
            const o = sig(z[3 * H + j]!);
            c[n]![j] = f * c[n]![j]! + i * g;
            h[n]![j] = o * Math.tanh(c[n]![j]!);
          }
          out[t]![n]!.push(...h[n]!);
        }
      }
      hN.push(h);
      cN.push(c);
    }
    seq = out;
  }
  return { output: seq.flat(2), h: hN.flat(2), c: cN.flat(2) };
}

function expectClose(actual: ArrayLike<number>, expected: number[], tol = 1e-5) {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThan(tol);
}

describe('LSTM', () => {
  it('registers parameters with PyTorch names, shapes and order', () => {
    const lstm = new LSTM(3, 5, { numLayers: 2 });
    const shapes = Object.fromEntries(lstm.namedParameters().map(([k, p]) => [k, p.shape]));
    expect(Object.keys(shapes)).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
      'bias_ih_l0',
      'bias_hh_l0',
      'weight_ih_l1',
      'weight_hh_l1',
      'bias_ih_l1',
      'bias_hh_l1',
    ]);
    expect(shapes.weight_ih_l0).toEqual([20, 3]);
    expect(shapes.weight_hh_l0).toEqual([20, 5]);
    expect(shapes.bias_ih_l0).toEqual([20]);
    expect(shapes.weight_ih_l1).toEqual([20, 5]);
    expect(Object.keys(new LSTM(3, 5, { bias: false }).stateDict())).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
    ]);
  });

  it('initialises every parameter in U(-1/√H, 1/√H)', () => {
    const lstm = new LSTM(4, 16, { generator: new Generator(1) });
    const bound = 1 / Math.sqrt(16);
    for (const p of lstm.parameters()) {
      const v = arr(p.data);
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(bound);
      expect(Math.max(...v)).toBeGreaterThan(bound * 0.8); // spread over the whole interval
    }
  });

  it('matches a plain-loop reference with zero and given initial states, 2 layers', () => {
    const g = new Generator(2);
    const lstm = new LSTM(3, 4, { numLayers: 2, generator: g });
    const x = randn([5, 2, 3], { generator: g });
    const [out, [h, c]] = lstm.forward(x);
    expect(out.shape).toEqual([5, 2, 4]);
    expect(h.shape).toEqual([2, 2, 4]);
    expect(c.shape).toEqual([2, 2, 4]);
    const ref = referenceLstm(lstm, x);
    expectClose(out.data.toTypedArray(), ref.output);
    expectClose(h.data.toTypedArray(), ref.h);
    expectClose(c.data.toTypedArray(), ref.c);

    const h0 = randn([2, 2, 4], { generator: g });
    const c0 = randn([2, 2, 4], { generator: g });
    const [out2, [h2, c2]] = lstm.forward(x, [h0, c0]);
    const ref2 = referenceLstm(lstm, x, h0, c0);
    expectClose(out2.data.toTypedArray(), ref2.output);
    expectClose(h2.data.toTypedArray(), ref2.h);
    expectClose(c2.data.toTypedArray(), ref2.c);
  });

  it('batchFirst transposes input and output but not the states; unbatched input drops the batch axis', () => {
    const g = new Generator(3);
    const lstm = new LSTM(3, 4, { generator: g });
    const bf = new LSTM(3, 4, { batchFirst: true });
    bf.loadStateDict(lstm.stateDict());
    const x = randn([6, 2, 3], { generator: g }); // [T, N, I]
    const xBf = x.transpose(0, 1).contiguous(); // [N, T, I]
    const [o1, [h1]] = lstm.forward(x);
    const [o2, [h2]] = bf.forward(xBf);
    expect(o2.shape).toEqual([2, 6, 4]);
    expect(h2.shape).toEqual([1, 2, 4]);
    expectClose(o2.data.transpose(0, 1).toTypedArray(), arr(o1.data));
    expectClose(h2.data.toTypedArray(), arr(h1.data));

    const single = x.slice(1, 0, 1).reshape([6, 3]); // first sequence, unbatched [T, I]
    const [o3, [h3, c3]] = lstm.forward(single);
    expect(o3.shape).toEqual([6, 4]);
    expect(h3.shape).toEqual([1, 4]);
    expect(c3.shape).toEqual([1, 4]);
    expectClose(o3.data.toTypedArray(), arr(o1.data.slice(1, 0, 1)));
  });

  it('back-propagates to the input and every parameter (gradcheck in float64)', () => {
    const g = new Generator(4);
    const lstm = new LSTM(2, 3, { numLayers: 2, generator: g });
    for (const p of lstm.parameters()) p.data = p.data.to('float64');
    const x = randn([3, 2, 2], { generator: g });
    const h0 = randn([2, 2, 3], { generator: g });
    const c0 = randn([2, 2, 3], { generator: g });
    expect(
      gradcheck(
        (xv, hv, cv) => {
          const [out, [h, c]] = lstm.forward(xv!, [hv!, cv!]);
          return out.sum().add(h.mul(2).sum()).add(c.sum());
        },
        [x, h0, c0],
      ),
    ).toBe(true);
    lstm.zeroGrad();
    lstm
      .forward(new Variable(x.to('float64')))[0]
      .sum()
      .backward();
    for (const [name, p] of lstm.namedParameters()) {
      expect(p.grad, name).not.toBeNull();
      expect(p.grad!.shape).toEqual(p.shape);
    }
  });

  it('applies dropout between layers only in training', () => {
    const g = new Generator(5);
    const lstm = new LSTM(3, 8, { numLayers: 2, dropout: 0.5, generator: g });
    const plain = new LSTM(3, 8, { numLayers: 2 });
    plain.loadStateDict(lstm.stateDict());
    const x = randn([4, 2, 3], { generator: g });
    const ref = arr(plain.forward(x)[0].data);
    expectClose(lstm.eval().forward(x)[0].data.toTypedArray(), ref);
    const trained = arr(lstm.train().forward(x)[0].data);
    expect(Math.max(...trained.map((v, i) => Math.abs(v - ref[i]!)))).toBeGreaterThan(1e-3);
  });

  it('rejects bad shapes and unsupported options with clear errors', () => {
    const lstm = new LSTM(3, 4, { numLayers: 2 });
    expect(() => lstm.forward(randn([5, 2, 7]))).toThrow(
      /LSTM: expected input .* inputSize 3, received shape \[5,2,7\]/,
    );
    expect(() => lstm.forward(randn([5, 2, 3]), [randn([1, 2, 4]), randn([2, 2, 4])])).toThrow(
      /LSTM: initial state h0 must have shape \[2,2,4\], received \[1,2,4\]/,
    );
    expect(() =>
      new LSTM(3, 4, { numLayers: 2, bidirectional: true }).forward(randn([5, 2, 3]), [
        randn([2, 2, 4]),
        randn([4, 2, 4]),
      ]),
    ).toThrow(/LSTM: initial state h0 must have shape \[4,2,4\], received \[2,2,4\]/);
    expect(() => new LSTM(3, 4, { dropout: 1.5 })).toThrow(/dropout must be a probability/);
    expect(() => new LSTM(0, 4)).toThrow(/inputSize must be a positive integer/);
  });

  it('toOnnx writes one ONNX LSTM node per layer with gates reordered to i, o, f, c', () => {
    const lstm = new LSTM(3, 2, { numLayers: 2, batchFirst: true, generator: new Generator(6) });
    const { g, nodes, consts } = recordingBuilder();
    const outs = lstm.toOnnx(g, ['x', 'h0', 'c0'], { inputs: [randn([4, 5, 3])] });
    expect(outs).toHaveLength(3);
    expect(nodes.map((n) => n.op)).toEqual([
      'Transpose',
      'Slice',
      'Slice',
      'LSTM',
      'Squeeze',
      'Slice',
      'Slice',
      'LSTM',
      'Squeeze',
      'Transpose',
      'Concat',
      'Concat',
    ]);
    const lstmNode = nodes.find((n) => n.op === 'LSTM')!;
    expect(lstmNode.attrs.hidden_size).toEqual({ i: 2 });
    const W = consts.get(lstmNode.inputs[1]!)!;
    expect(W.shape).toEqual([1, 8, 3]);
    const w = arr(lstm.stateDict().weight_ih_l0!); // rows: i(0-1) f(2-3) g(4-5) o(6-7)
    const rows = (r: number[]) => r.flatMap((k) => w.slice(k * 3, k * 3 + 3));
    expect(arr(W)).toEqual(rows([0, 1, 6, 7, 2, 3, 4, 5])); // i, o, f, c=g
    expect(consts.get(lstmNode.inputs[3]!)!.shape).toEqual([1, 16]); // [Wb; Rb]
  });

  describe('bidirectional', () => {
    it('registers l{k} then l{k}_reverse per layer; layers k > 0 read 2H features', () => {
      const lstm = new LSTM(3, 5, { numLayers: 2, bidirectional: true });
      expect(lstm.bidirectional).toBe(true);
      expect(new LSTM(3, 5).bidirectional).toBe(false);
      expect(lstm.namedParameters().map(([k, p]) => `${k}:${p.shape.join('x')}`)).toEqual([
        'weight_ih_l0:20x3',
        'weight_hh_l0:20x5',
        'bias_ih_l0:20',
        'bias_hh_l0:20',
        'weight_ih_l0_reverse:20x3',
        'weight_hh_l0_reverse:20x5',
        'bias_ih_l0_reverse:20',
        'bias_hh_l0_reverse:20',
        'weight_ih_l1:20x10',
        'weight_hh_l1:20x5',
        'bias_ih_l1:20',
        'bias_hh_l1:20',
        'weight_ih_l1_reverse:20x10',
        'weight_hh_l1_reverse:20x5',
        'bias_ih_l1_reverse:20',
        'bias_hh_l1_reverse:20',
      ]);
      expect(Object.keys(new LSTM(3, 5, { bias: false, bidirectional: true }).stateDict())).toEqual([
        'weight_ih_l0',
        'weight_hh_l0',
        'weight_ih_l0_reverse',
        'weight_hh_l0_reverse',
      ]);
      const bound = 1 / Math.sqrt(5);
      for (const p of lstm.parameters())
        expect(Math.max(...arr(p.data).map(Math.abs))).toBeLessThanOrEqual(bound);
    });

    it('matches a plain-loop reference with zero and given initial states, 2 layers', () => {
      const g = new Generator(12);
      const lstm = new LSTM(3, 4, { numLayers: 2, bidirectional: true, generator: g });
      const x = randn([5, 2, 3], { generator: g });
      const [out, [h, c]] = lstm.forward(x);
      expect(out.shape).toEqual([5, 2, 8]);
      expect(h.shape).toEqual([4, 2, 4]);
      expect(c.shape).toEqual([4, 2, 4]);
      const ref = referenceLstm(lstm, x);
      expectClose(out.data.toTypedArray(), ref.output);
      expectClose(h.data.toTypedArray(), ref.h);
      expectClose(c.data.toTypedArray(), ref.c);

      const h0 = randn([4, 2, 4], { generator: g });
      const c0 = randn([4, 2, 4], { generator: g });
      const [out2, [h2, c2]] = lstm.forward(x, [h0, c0]);
      const ref2 = referenceLstm(lstm, x, h0, c0);
      expectClose(out2.data.toTypedArray(), ref2.output);
      expectClose(h2.data.toTypedArray(), ref2.h);
      expectClose(c2.data.toTypedArray(), ref2.c);
    });

    it('hN holds the forward half of the last step and the reverse half of step 0', () => {
      const g = new Generator(13);
      const lstm = new LSTM(2, 3, { bidirectional: true, generator: g });
      const [out, [h]] = lstm.forward(randn([4, 1, 2], { generator: g }));
      expectClose(out.data.slice(0, 3, 4).slice(2, 0, 3).toTypedArray(), arr(h.data.slice(0, 0, 1)));
      expectClose(out.data.slice(0, 0, 1).slice(2, 3, 6).toTypedArray(), arr(h.data.slice(0, 1, 2)));
      // …and not the other way round (the halves are not mixed up).
      expect(arr(out.data.slice(0, 3, 4).slice(2, 3, 6))).not.toEqual(arr(h.data.slice(0, 1, 2)));
    });

    it('batchFirst transposes input and output but not the states; unbatched input drops the batch axis', () => {
      const g = new Generator(14);
      const lstm = new LSTM(3, 4, { numLayers: 2, bidirectional: true, generator: g });
      const bf = new LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true });
      bf.loadStateDict(lstm.stateDict());
      const x = randn([6, 2, 3], { generator: g });
      const [o1, [h1, c1]] = lstm.forward(x);
      const [o2, [h2, c2]] = bf.forward(x.transpose(0, 1).contiguous());
      expect(o2.shape).toEqual([2, 6, 8]);
      expect(h2.shape).toEqual([4, 2, 4]);
      expectClose(o2.data.transpose(0, 1).toTypedArray(), arr(o1.data));
      expectClose(h2.data.toTypedArray(), arr(h1.data));
      expectClose(c2.data.toTypedArray(), arr(c1.data));

      const [o3, [h3, c3]] = lstm.forward(x.slice(1, 1, 2).reshape([6, 3]));
      expect(o3.shape).toEqual([6, 8]);
      expect(h3.shape).toEqual([4, 4]);
      expect(c3.shape).toEqual([4, 4]);
      expectClose(o3.data.toTypedArray(), arr(o1.data.slice(1, 1, 2)));
      expectClose(h3.data.toTypedArray(), arr(h1.data.slice(1, 1, 2)));
    });

    it('back-propagates to the input, the states and every parameter (gradcheck in float64)', () => {
      const g = new Generator(15);
      const lstm = new LSTM(2, 3, { numLayers: 2, bidirectional: true, generator: g });
      for (const p of lstm.parameters()) p.data = p.data.to('float64');
      const x = randn([3, 2, 2], { generator: g });
      const h0 = randn([4, 2, 3], { generator: g });
      const c0 = randn([4, 2, 3], { generator: g });
      // Weights on the output so the forward and reverse halves and each state row count differently.
      const wOut = randn([3, 2, 6], { generator: g, dtype: 'float64' });
      const wState = randn([4, 2, 3], { generator: g, dtype: 'float64' });
      expect(
        gradcheck(
          (xv, hv, cv) => {
            const [out, [h, c]] = lstm.forward(xv!, [hv!, cv!]);
            return out.mul(wOut).sum().add(h.mul(wState).sum()).add(c.sum());
          },
          [x, h0, c0],
        ),
      ).toBe(true);
      lstm.zeroGrad();
      lstm
        .forward(new Variable(x.to('float64')))[0]
        .sum()
        .backward();
      for (const [name, p] of lstm.namedParameters()) {
        expect(p.grad, name).not.toBeNull();
        expect(p.grad!.shape).toEqual(p.shape);
      }
    });

    it('drops the concatenated output of each layer but the last, in training', () => {
      const g = new Generator(16);
      const lstm = new LSTM(3, 4, { numLayers: 2, bidirectional: true, dropout: 1, generator: g });
      // With p = 1 layer 1 sees zeros in both halves: it must equal a 1-layer LSTM over zeros.
      const top = new LSTM(8, 4, { bidirectional: true });
      const sd = lstm.stateDict();
      top.loadStateDict(
        Object.fromEntries(
          Object.entries(sd)
            .filter(([k]) => k.includes('_l1'))
            .map(([k, v]) => [k.replace('_l1', '_l0'), v]),
        ),
      );
      const x = randn([4, 2, 3], { generator: g });
      const [out, [h]] = lstm.train().forward(x);
      const [want, [hWant]] = top.forward(zeros([4, 2, 8]));
      expectClose(out.data.toTypedArray(), arr(want.data));
      expectClose(h.data.slice(0, 2, 4).toTypedArray(), arr(hWant.data));
      const evalOut = arr(lstm.eval().forward(x)[0].data);
      expectClose(evalOut, referenceLstm(lstm, x).output);
      expect(Math.max(...evalOut.map((v, i) => Math.abs(v - arr(want.data)[i]!)))).toBeGreaterThan(1e-3);
    });

    it('toOnnx writes one bidirectional ONNX LSTM per layer: W [2, 4H, I] forward first, Y reshaped to [T, N, 2H]', () => {
      const lstm = new LSTM(3, 2, { numLayers: 2, bidirectional: true, generator: new Generator(17) });
      const { g, nodes, consts } = recordingBuilder();
      const outs = lstm.toOnnx(g, ['x', 'h0', 'c0'], { inputs: [randn([4, 5, 3])] });
      expect(outs).toHaveLength(3);
      expect(nodes.map((n) => n.op)).toEqual([
        'Slice',
        'Slice',
        'LSTM',
        'Transpose',
        'Reshape',
        'Slice',
        'Slice',
        'LSTM',
        'Transpose',
        'Reshape',
        'Concat',
        'Concat',
      ]);
      const [l0, l1] = nodes.filter((n) => n.op === 'LSTM');
      expect(l0!.attrs).toEqual({ hidden_size: { i: 2 }, direction: { s: 'bidirectional' } });
      expect(nodes[5]!.inputs).toEqual(['h0', 'i64[2]', 'i64[4]', 'i64[0]']); // layer 1's state rows
      expect(nodes[3]!.attrs.perm).toEqual({ ints: [0, 2, 1, 3] });
      expect(nodes[4]!.inputs[1]).toBe('i64[0,0,4]');
      expect(l1!.inputs[0]).toBe(`Reshape5:0`);
      const sd = lstm.stateDict();
      const order = [0, 1, 6, 7, 2, 3, 4, 5]; // rows i, o, f, c=g
      const rows = (w: number[], F: number) => order.flatMap((k) => w.slice(k * F, k * F + F));
      const W1 = consts.get(l1!.inputs[1]!)!;
      expect(W1.shape).toEqual([2, 8, 4]);
      expect(arr(W1)).toEqual([...rows(arr(sd.weight_ih_l1!), 4), ...rows(arr(sd.weight_ih_l1_reverse!), 4)]);
      expect(consts.get(l0!.inputs[2]!)!.shape).toEqual([2, 8, 2]);
      const B0 = consts.get(l0!.inputs[3]!)!;
      expect(B0.shape).toEqual([2, 16]);
      expect(arr(B0).slice(16)).toEqual([
        ...rows(arr(sd.bias_ih_l0_reverse!), 1),
        ...rows(arr(sd.bias_hh_l0_reverse!), 1),
      ]);
    });
  });
});
