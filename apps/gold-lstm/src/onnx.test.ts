import { Tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { modelStep } from './evaluate.js';
import type { ModelConfig } from './model.js';
import { exportForecaster, onnxPredict, rawWindows, wrapperPredict } from './onnx.js';
import { DEFAULT_MODEL, DEFAULT_TRAIN, runExperiment } from './pipeline.js';
import { loadSeries } from './series.js';

const gold = await loadSeries(undefined);

const relErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.abs(b[i]!));
  return m;
};

const cases: [string, ModelConfig][] = [
  ['LSTM, return target (the default)', DEFAULT_MODEL],
  ['LSTM, price target, 2 layers', { ...DEFAULT_MODEL, target: 'price', layers: 2 }],
  ['GRU, return target, window 8', { ...DEFAULT_MODEL, cell: 'gru', window: 8 }],
];

describe('ONNX export with the scaler folded in (raw prices in, raw price out)', () => {
  for (const [name, model] of cases) {
    it(`${name}: onnxruntime-node and -web match tsdl within 1e-4 relative on raw prices`, async () => {
      const e = runExperiment(gold, { model, train: { ...DEFAULT_TRAIN, epochs: 2, seed: 1 }, horizon: 3 });
      const { model: net, affine, scaler } = e.trained;
      const bytes = exportForecaster(net, affine, scaler);
      const prices = rawWindows(gold.values, e.oneStep.t, model.window); // every test window, raw USD/oz
      const ours = wrapperPredict(net, affine, prices);
      // The in-graph preprocessing agrees with the float64 JS pipeline used for the metrics.
      const js = Array.from(e.oneStep.t, (t) =>
        modelStep(net, affine)(gold.values.slice(t - model.window, t)),
      );
      expect(relErr(ours, js)).toBeLessThan(1e-5);
      expect(relErr(ours, e.oneStep.model)).toBeLessThan(1e-5);
      // [batch, window, 1] is accepted too.
      const p3 = new Tensor(prices.toTypedArray(), [prices.shape[0]!, model.window, 1]);
      expect(relErr(wrapperPredict(net, affine, p3), ours)).toBe(0);
      for (const backend of ['node', 'web'] as const) {
        const theirs = await onnxPredict(bytes, prices, backend);
        expect(theirs.length).toBe(ours.length);
        expect(relErr(theirs, ours)).toBeLessThan(1e-4);
      }
    }, 30_000);
  }
});
