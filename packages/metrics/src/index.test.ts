import { describe, expect, it } from 'vitest';
import * as metrics from './index.js';

describe('@tsdl/metrics public API', () => {
  it('exports the contract names', () => {
    const names = [
      'accuracy',
      'precision',
      'recall',
      'f1',
      'confusionMatrix',
      'rocAuc',
      'mae',
      'mse',
      'rmse',
      'mape',
      'r2',
      'precisionAtK',
      'recallAtK',
      'ndcgAtK',
    ];
    for (const n of names) expect(typeof (metrics as Record<string, unknown>)[n], n).toBe('function');
    expect(
      new metrics.ClassificationMetrics({ numClasses: 2 }).update([0, 1], [0, 1]).compute().accuracy,
    ).toBe(1);
  });

  it('throws MetricsError whose message starts with the function name', () => {
    expect(() => metrics.mae([1], [1, 2])).toThrow(metrics.MetricsError);
    expect(() => metrics.mae([1], [1, 2])).toThrow(/^mae: /);
  });
});
