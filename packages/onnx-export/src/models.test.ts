import { type Input, Variable } from '@tsdl/autograd';
import { GRU, LSTM, Module, RNN } from '@tsdl/nn';
import { Generator, randn, type Tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from './export.js';
import { OnnxSession, runOnnx } from './run-onnx.js';
import { Forecaster, lenet, mlp } from './test-utils/models.js';
import { checkModel, requireOnnxChecker } from './test-utils/onnx-checker.js';

const hasChecker = requireOnnxChecker();

function maxAbsDiff(a: Tensor, b: Tensor): number {
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  expect(x.length).toBe(y.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/** Trains BatchNorm statistics away from their initial values so the export has to carry them. */
function warmUp(model: Module, shape: number[]): void {
  model.train();
  for (let i = 0; i < 3; i++)
    model.forward(
      new Variable(
        randn(shape, { generator: new Generator(100 + i) })
          .mul(2)
          .add(0.5),
      ) as never,
    );
  model.eval();
}

const cases: [string, () => Module, (n: number) => number[]][] = [
  ['MLP', () => mlp(), (n) => [n, 20]],
  [
    'LeNet CNN with BatchNorm and Dropout',
    () => {
      const m = lenet();
      warmUp(m, [4, 3, 32, 32]);
      return m;
    },
    (n) => [n, 3, 32, 32],
  ],
  ['LSTM forecaster (2 layers, batchFirst)', () => new Forecaster('lstm'), (n) => [n, 5, 1]],
  ['GRU forecaster (2 layers, batchFirst)', () => new Forecaster('gru'), (n) => [n, 5, 1]],
];

describe.each(cases)('%s', (_name, make, shapeFor) => {
  const model = make();
  model.eval();
  const bytes = exportOnnx(model, [randn(shapeFor(2), { generator: new Generator(1) })]);
  const paramBytes =
    model.parameters().reduce((s, p) => s + p.data.size * 4, 0) +
    model.namedBuffers().reduce((s, [, b]) => s + b.size * 4, 0);

  it('passes onnx.checker (full_check)', () => {
    if (hasChecker) checkModel(bytes);
  });

  it('has about the size of its parameters', () => {
    const overhead = bytes.length - paramBytes;
    console.log(
      `${_name}: ${bytes.length} bytes for ${paramBytes} parameter bytes (+${overhead} bytes, ${((100 * overhead) / paramBytes).toFixed(1)}%)`,
    );
    expect(bytes.length).toBeGreaterThan(paramBytes);
    expect(overhead).toBeLessThan(4096 + 0.02 * paramBytes);
  });

  for (const backend of ['node', 'web'] as const) {
    it(`matches tsdl's forward in onnxruntime-${backend} at batch sizes 1 and 5 (1e-5 abs)`, async () => {
      const s = await OnnxSession.create(bytes, { backend });
      try {
        for (const n of [1, 5]) {
          const x = randn(shapeFor(n), { generator: new Generator(10 + n) });
          const ours = (model.forward(new Variable(x) as never) as Variable).data;
          const theirs = (await s.run({ input: x })).output!;
          expect(theirs.shape).toEqual(ours.shape);
          expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-5);
        }
      } finally {
        await s.release();
      }
    });
  }
});

/** LSTM.forward takes (x, [h0, c0]); the exporter passes its example inputs as separate arguments. */
class LstmWithStates extends Module {
  readonly lstm: LSTM;
  constructor(lstm: LSTM) {
    super();
    this.lstm = this.registerModule('lstm', lstm);
  }
  forward(x: Input, h0: Input, c0: Input): [Variable, [Variable, Variable]] {
    return this.lstm.forward(x, [h0, c0]);
  }
}

describe('recurrent layers exported as the root model', () => {
  for (const [name, make] of [
    ['LSTM', () => new LSTM(3, 4, { numLayers: 2, generator: new Generator(2) })],
    [
      'RNN relu',
      () => new RNN(3, 4, { nonlinearity: 'relu', batchFirst: true, generator: new Generator(3) }),
    ],
    [
      'bidirectional LSTM (2 layers)',
      () => new LSTM(3, 4, { numLayers: 2, bidirectional: true, generator: new Generator(5) }),
    ],
    [
      'bidirectional LSTM (2 layers, batchFirst)',
      () =>
        new LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true, generator: new Generator(6) }),
    ],
    [
      'bidirectional GRU (2 layers)',
      () => new GRU(3, 4, { numLayers: 2, bidirectional: true, generator: new Generator(7) }),
    ],
    [
      'bidirectional GRU (batchFirst)',
      () => new GRU(3, 4, { bidirectional: true, batchFirst: true, generator: new Generator(8) }),
    ],
    ['bidirectional RNN tanh', () => new RNN(3, 4, { bidirectional: true, generator: new Generator(9) })],
  ] as const) {
    it(`${name}: one fused node per layer, outputs match onnxruntime-node`, async () => {
      const model = make();
      const x = randn([5, 2, 3], { generator: new Generator(4) });
      const bytes = exportOnnx(model, [x], { dynamicBatch: false });
      if (hasChecker) checkModel(bytes);
      const text = new TextDecoder('latin1').decode(bytes);
      expect(text).not.toContain('Sigmoid');
      const ours = (model.forward(new Variable(x)) as unknown[]).flat() as Variable[];
      const theirs = await runOnnx(bytes, { input: x });
      expect(Object.keys(theirs)).toHaveLength(ours.length);
      for (const [i, v] of ours.entries()) {
        expect(theirs[`output_${i}`]!.shape).toEqual(v.shape);
        expect(maxAbsDiff(v.data, theirs[`output_${i}`]!)).toBeLessThan(1e-5);
      }
    });
  }

  for (const batchFirst of [false, true]) {
    it(`bidirectional LSTM with given initial states${batchFirst ? ', batchFirst' : ''}: rows 2l, 2l+1 feed layer l`, async () => {
      const model = new LstmWithStates(
        new LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst, generator: new Generator(10) }),
      );
      const g = new Generator(11);
      const x = randn(batchFirst ? [2, 5, 3] : [5, 2, 3], { generator: g });
      const h0 = randn([4, 2, 4], { generator: g });
      const c0 = randn([4, 2, 4], { generator: g });
      const bytes = exportOnnx(model, [x, h0, c0], { dynamicBatch: false });
      if (hasChecker) checkModel(bytes);
      const [out, [h, c]] = model.forward(x, h0, c0);
      const theirs = await runOnnx(bytes, { input_0: x, input_1: h0, input_2: c0 });
      for (const [i, v] of [out, h, c].entries()) {
        expect(theirs[`output_${i}`]!.shape).toEqual(v.shape);
        expect(maxAbsDiff(v.data, theirs[`output_${i}`]!)).toBeLessThan(1e-5);
      }
    });
  }
});
