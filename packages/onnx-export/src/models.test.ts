import { Variable } from '@tsdl/autograd';
import type { Module } from '@tsdl/nn';
import { LSTM, RNN } from '@tsdl/nn';
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

describe('recurrent layers exported as the root model', () => {
  for (const [name, make] of [
    ['LSTM', () => new LSTM(3, 4, { numLayers: 2, generator: new Generator(2) })],
    [
      'RNN relu',
      () => new RNN(3, 4, { nonlinearity: 'relu', batchFirst: true, generator: new Generator(3) }),
    ],
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
      for (const [i, v] of ours.entries())
        expect(maxAbsDiff(v.data, theirs[`output_${i}`]!)).toBeLessThan(1e-5);
    });
  }
});
