import { describe, expect, it } from 'vitest';
import { DEFAULT_HORIZON, DEFAULT_MODEL, DEFAULT_TRAIN, runExperiment } from './pipeline.js';
import { loadSeries } from './series.js';
import { predictLabels } from './train.js';

const gold = await loadSeries(undefined);
const bytes = (sd: Record<string, { toTypedArray(): ArrayLike<number> }>) =>
  Object.entries(sd).map(([k, t]) => [k, Array.from(t.toTypedArray())]);

describe('training (bundled gold prices)', () => {
  it('is deterministic for a seed, including dropout and shuffling', () => {
    const opts = (seed: number) => ({
      model: { ...DEFAULT_MODEL, layers: 2, dropout: 0.2 },
      train: { ...DEFAULT_TRAIN, epochs: 3, patience: 3, seed },
      horizon: 6,
    });
    const a = runExperiment(gold, opts(3));
    const b = runExperiment(gold, opts(3));
    expect(bytes(b.trained.model.stateDict())).toEqual(bytes(a.trained.model.stateDict()));
    expect(b.report).toEqual(a.report);
    expect(b.trained.history.map((e) => e.valLoss)).toEqual(a.trained.history.map((e) => e.valLoss));
    const c = runExperiment(gold, opts(4));
    expect(bytes(c.trained.model.stateDict())).not.toEqual(bytes(a.trained.model.stateDict()));
  }, 30_000);

  it('stops early and keeps the best validation epoch; the default model is within 1.05 × persistence MAE', () => {
    const e = runExperiment(gold, { model: DEFAULT_MODEL, train: DEFAULT_TRAIN, horizon: DEFAULT_HORIZON });
    const { history, bestEpoch, model, affine, valWindows } = e.trained;
    expect(history.length).toBeLessThanOrEqual(bestEpoch + DEFAULT_TRAIN.patience);
    const best = Math.min(...history.map((h) => h.valLoss));
    expect(history[bestEpoch - 1]!.valLoss).toBe(best);
    // The returned weights are the best epoch's: recompute its validation loss.
    const p = predictLabels(model, valWindows, affine);
    const mse = p.reduce((s, y, i) => s + ((y - valWindows.y[i]!) / affine.scale) ** 2, 0) / p.length;
    expect(mse).toBeCloseTo(best, 10);
    const { test } = e.report;
    console.log(
      `gold test MAE: model ${test.model.mae.toFixed(2)}, persistence ${test.persistence.mae.toFixed(2)}, linear AR ${test.linearAr.mae.toFixed(2)} (ratio ${test.modelMaeOverPersistence.toFixed(4)})`,
    );
    expect(test.windows).toBe(e.split.n - e.split.valEnd);
    expect(test.modelMaeOverPersistence).toBeLessThanOrEqual(1.05);
  }, 60_000);
});
