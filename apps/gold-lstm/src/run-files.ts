import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSafetensors } from '@tsdl/nn';
import { Forecaster, type ModelConfig } from './model.js';
import type { Report } from './pipeline.js';
import type { SeriesOptions } from './series.js';
import type { SplitOptions } from './split.js';
import type { Affine, ScalerJSON } from './windows.js';

/** run.json: what `evaluate`, `export` and `predict` need to rebuild a trained run. */
export interface RunFile {
  data: { path?: string } & Partial<SeriesOptions>;
  model: ModelConfig;
  split: SplitOptions;
  horizon: number;
  seed: number;
  affine: Affine;
  scaler: ScalerJSON;
}

export async function loadRun(dir: string): Promise<{ run: RunFile; model: Forecaster }> {
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunFile;
  const model = new Forecaster(run.model);
  model.loadStateDict(await loadSafetensors(join(dir, 'model.safetensors')));
  model.eval();
  return { run, model };
}

const fmt = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

/** The test-part comparison as a Markdown table (the README's table is this output). */
export function reportTable(r: Report, modelName: string): string {
  const rows: [string, Report['test']['model']][] = [
    [modelName, r.test.model],
    ['persistence (next = last)', r.test.persistence],
    ['linear AR (lstsq, same window)', r.test.linearAr],
  ];
  const lines = [
    `one-step-ahead on the test part (${r.test.from} … ${r.test.to}, ${r.test.windows} steps):`,
    '',
    '| forecaster | MAE | RMSE | MAPE |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(([n, e]) => `| ${n} | ${fmt(e.mae, 2)} | ${fmt(e.rmse, 2)} | ${fmt(e.mape * 100, 2)}% |`),
    '',
    `model MAE / persistence MAE = ${fmt(r.test.modelMaeOverPersistence, 4)} (${r.test.modelMaeOverPersistence < 1 ? 'the model beats persistence' : 'the model does NOT beat persistence'})`,
    '',
    `rolling ${r.rolling.horizon}-step forecast from ${r.rolling.from} (predictions fed back):`,
    '',
    '| forecaster | MAE | RMSE | MAPE |',
    '| --- | ---: | ---: | ---: |',
    ...(
      [
        [modelName, r.rolling.model],
        ['persistence (flat)', r.rolling.persistence],
        ['linear AR', r.rolling.linearAr],
      ] as const
    ).map(([n, e]) => `| ${n} | ${fmt(e.mae, 2)} | ${fmt(e.rmse, 2)} | ${fmt(e.mape * 100, 2)}% |`),
  ];
  return lines.join('\n');
}
