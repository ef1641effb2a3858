import { Generator, randn, type Tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { RNN } from './rnn.js';
import { recordingBuilder } from './test-utils/onnx-recorder.js';

const arr = (t: Tensor) => Array.from(t.toTypedArray());

/**
 * Plain-loop multi-layer Elman RNN over [T, N, I]; returns the last layer's outputs and every final h.
 * The reverse direction (suffix _reverse) walks t = T-1 … 0; its features follow the forward ones.
 */
function referenceRnn(rnn: RNN, x: Tensor, act: (v: number) => number) {
  const [T, N] = x.shape as [number, number, number];
  const H = rnn.hiddenSize;
  const D = rnn.bidirectional ? 2 : 1;
  const sd = rnn.stateDict();
  const xs = arr(x);
  let F = rnn.inputSize;
  let seq = Array.from({ length: T * N }, (_, r) => xs.slice(r * F, (r + 1) * F));
  const finals: number[] = [];
  for (let l = 0; l < rnn.numLayers; l++) {
    const next = Array.from({ length: T * N }, (): number[] => []);
    for (let d = 0; d < D; d++) {
      const [wih, whh, bih, bhh] = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map((k) =>
        arr(sd[`${k}_l${l}${d === 1 ? '_reverse' : ''}`]!),
      ) as number[][];
      const h = Array.from({ length: N }, () => new Array<number>(H).fill(0));
      for (let step = 0; step < T; step++) {
        const t = d === 0 ? step : T - 1 - step;
        for (let n = 0; n < N; n++) {
          const prev = h[n]!;
          h[n] = Array.from({ length: H }, (_, j) => {
            let s = bih![j]! + bhh![j]!;
            for (let k = 0; k < F; k++) s += wih![j * F + k]! * seq[t * N + n]![k]!;
            for (let k = 0; k < H; k++) s += whh![j * H + k]! * prev[k]!;
            return act(s);
          });
          next[t * N + n]!.push(...h[n]!);
        }
      }
      finals.push(...h.flat());
    }
    seq = next;
    F = D * H;
  }
  return { output: seq.flat(), h: finals };
}

function maxDiff(a: ArrayLike<number>, b: number[]): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('RNN', () => {
  it('has PyTorch parameter names and shapes', () => {
    const rnn = new RNN(3, 5, { numLayers: 2 });
    expect(rnn.namedParameters().map(([k, p]) => `${k}:${p.shape.join('x')}`)).toEqual([
      'weight_ih_l0:5x3',
      'weight_hh_l0:5x5',
      'bias_ih_l0:5',
      'bias_hh_l0:5',
      'weight_ih_l1:5x5',
      'weight_hh_l1:5x5',
      'bias_ih_l1:5',
      'bias_hh_l1:5',
    ]);
  });

  it('registers l{k} then l{k}_reverse per layer when bidirectional; layers k > 0 read 2H features', () => {
    const rnn = new RNN(3, 5, { numLayers: 2, bidirectional: true });
    expect(rnn.bidirectional).toBe(true);
    expect(rnn.namedParameters().map(([k, p]) => `${k}:${p.shape.join('x')}`)).toEqual([
      'weight_ih_l0:5x3',
      'weight_hh_l0:5x5',
      'bias_ih_l0:5',
      'bias_hh_l0:5',
      'weight_ih_l0_reverse:5x3',
      'weight_hh_l0_reverse:5x5',
      'bias_ih_l0_reverse:5',
      'bias_hh_l0_reverse:5',
      'weight_ih_l1:5x10',
      'weight_hh_l1:5x5',
      'bias_ih_l1:5',
      'bias_hh_l1:5',
      'weight_ih_l1_reverse:5x10',
      'weight_hh_l1_reverse:5x5',
      'bias_ih_l1_reverse:5',
      'bias_hh_l1_reverse:5',
    ]);
  });

  for (const [name, act] of [
    ['tanh', Math.tanh],
    ['relu', (v: number) => Math.max(v, 0)],
  ] as const) {
    for (const bidirectional of [false, true]) {
      const D = bidirectional ? 2 : 1;
      it(`matches a plain-loop reference with ${name}, 2 layers${bidirectional ? ', bidirectional' : ''}`, () => {
        const g = new Generator(11);
        const rnn = new RNN(3, 4, { numLayers: 2, nonlinearity: name, bidirectional, generator: g });
        const x = randn([5, 2, 3], { generator: g });
        const [out, h] = rnn.forward(x);
        expect(out.shape).toEqual([5, 2, 4 * D]);
        expect(h.shape).toEqual([2 * D, 2, 4]);
        const ref = referenceRnn(rnn, x, act);
        expect(maxDiff(out.data.toTypedArray(), ref.output)).toBeLessThan(1e-5);
        expect(maxDiff(h.data.toTypedArray(), ref.h)).toBeLessThan(1e-5);
      });
    }
  }

  it('sends gradients to every parameter', () => {
    const rnn = new RNN(3, 4, { numLayers: 2 });
    rnn
      .forward(randn([5, 2, 3]))[0]
      .sum()
      .backward();
    for (const [k, p] of rnn.namedParameters()) expect(p.grad?.shape, k).toEqual(p.shape);
  });

  it('toOnnx gives a bidirectional ONNX RNN one activation per direction', () => {
    const rnn = new RNN(3, 4, { nonlinearity: 'relu', bidirectional: true });
    const { g, nodes } = recordingBuilder();
    rnn.toOnnx(g, ['x'], { inputs: [randn([5, 2, 3])] });
    expect(nodes.find((n) => n.op === 'RNN')!.attrs).toEqual({
      hidden_size: { i: 4 },
      direction: { s: 'bidirectional' },
      activations: { strings: ['Relu', 'Relu'] },
    });
  });

  it('rejects an unknown nonlinearity', () => {
    expect(() => new RNN(3, 4, { nonlinearity: 'gelu' as 'tanh' })).toThrow(
      /nonlinearity must be 'tanh' or 'relu'/,
    );
  });
});
