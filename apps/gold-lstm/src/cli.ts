#!/usr/bin/env node
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ChartLayout, epochReporter, evenTicks, lineChart, numberArg } from '@tsdl/app-kit';
import { saveSafetensors } from '@tsdl/nn';
import { Tensor } from '@tsdl/tensor';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Cell, ModelConfig } from './model.js';
import { exportForecaster, onnxParity, onnxPredict, rawWindows, wrapperPredict } from './onnx.js';
import { DEFAULT_HORIZON, DEFAULT_MODEL, DEFAULT_TRAIN, evaluateAll, runExperiment } from './pipeline.js';
import { loadRun, type RunFile, reportTable } from './run-files.js';
import { GOLD_DEFAULT_FROM, loadSeries, type Series } from './series.js';
import { chronologicalSplit } from './split.js';
import type { Target } from './windows.js';

// pnpm runs the app in its own folder; relative paths on the command line are the caller's.
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

interface DataOpts {
  data?: string;
  dateCol?: string;
  valueCol?: string;
  from?: string;
  to?: string;
}

const dataOptions = (cmd: Command): Command =>
  cmd
    .option(
      '--data <file.csv>',
      'CSV with a date and a value column, daily or monthly (default: the bundled monthly gold prices)',
    )
    .option('--date-col <name>', 'date column of --data (default: Date for the bundled file, date otherwise)')
    .option(
      '--value-col <name>',
      'value column of --data (default: Price for the bundled file, price otherwise)',
    )
    .option(
      '--from <date>',
      `first date kept (default: ${GOLD_DEFAULT_FROM} for the bundled gold prices, all rows otherwise)`,
    )
    .option('--to <date>', 'last date kept');

function dataOf(o: DataOpts): RunFile['data'] {
  return {
    ...(o.data ? { path: resolve(o.data) } : {}),
    ...(o.dateCol ? { dateCol: o.dateCol } : {}),
    ...(o.valueCol ? { valueCol: o.valueCol } : {}),
    ...(o.from ? { from: o.from } : {}),
    ...(o.to ? { to: o.to } : {}),
  };
}

async function seriesOf(d: RunFile['data']): Promise<Series> {
  const { path, ...rest } = d;
  return loadSeries(path, rest);
}

/** Wider than the kit's default (long date axes), with the legend clear of the rising price curve. */
const CHART: ChartLayout = {
  width: 720,
  height: 380,
  margin: { l: 70, r: 20, t: 40, b: 60 },
  yPrecision: 4,
  strokeWidth: 1.8,
  legend: 'left',
};

function writeCharts(
  out: string,
  series: Series,
  ev: ReturnType<typeof evaluateAll>,
  modelName: string,
  history?: { trainLoss: number; valLoss: number }[],
): void {
  const dates = Array.from(ev.oneStep.t, (t) => series.dates[t]!);
  writeFileSync(
    join(out, 'test.svg'),
    lineChart(
      [
        { name: 'actual', values: ev.oneStep.actual, color: '#222222' },
        { name: `${modelName} (one step ahead)`, values: ev.oneStep.model, color: '#d62728' },
        { name: 'persistence', values: ev.oneStep.persistence, color: '#1f77b4', dash: '4 3' },
      ],
      {
        ...CHART,
        title: 'Test part: actual vs one-step-ahead forecasts',
        xLabel: 'date',
        yLabel: 'price',
        xTicks: evenTicks(dates),
      },
    ),
  );
  const r = ev.rolling;
  const rollDates = Array.from({ length: r.horizon }, (_, h) => series.dates[r.start + h]!);
  writeFileSync(
    join(out, 'rolling.svg'),
    lineChart(
      [
        { name: 'actual', values: r.actual, color: '#222222' },
        { name: `${modelName} (rolling, fed back)`, values: r.model, color: '#d62728' },
        { name: 'linear AR (rolling)', values: r.linearAr, color: '#2ca02c', dash: '2 2' },
        { name: 'persistence (flat)', values: r.persistence, color: '#1f77b4', dash: '4 3' },
      ],
      {
        ...CHART,
        title: `Rolling ${r.horizon}-step forecast from the start of the test part`,
        xLabel: 'date',
        yLabel: 'price',
        xTicks: evenTicks(rollDates),
      },
    ),
  );
  if (history) {
    writeFileSync(
      join(out, 'loss.svg'),
      lineChart(
        [
          { name: 'train MSE (scaled)', values: history.map((e) => e.trainLoss), color: '#d62728' },
          { name: 'validation MSE (scaled)', values: history.map((e) => e.valLoss), color: '#1f77b4' },
        ],
        { ...CHART, title: 'Training and validation loss', xLabel: 'epoch', yLabel: 'MSE on scaled targets' },
      ),
    );
  }
}

const program = new Command()
  .name('gold-lstm')
  .description(
    'An LSTM/GRU forecaster for gold prices (or any CSV series), measured against persistence and linear AR, exported to ONNX.',
  )
  .showHelpAfterError();

dataOptions(program.command('train'))
  .description(
    'train with early stopping, evaluate on the held-out last 20%, write metrics, pictures, weights and ONNX',
  )
  .addOption(
    new Option('--cell <cell>', 'recurrent cell').choices(['lstm', 'gru']).default(DEFAULT_MODEL.cell),
  )
  .addOption(
    new Option('--target <target>', 'what the network predicts: the next log return or the next price')
      .choices(['return', 'price'])
      .default(DEFAULT_MODEL.target),
  )
  .option(
    '--window <n>',
    'raw prices per input window',
    numberArg('--window', { int: true }),
    DEFAULT_MODEL.window,
  )
  .option('--hidden <n>', 'hidden size', numberArg('--hidden', { int: true }), DEFAULT_MODEL.hidden)
  .option(
    '--layers <n>',
    'stacked recurrent layers',
    numberArg('--layers', { int: true }),
    DEFAULT_MODEL.layers,
  )
  .option(
    '--dropout <p>',
    'dropout between layers and before the head',
    numberArg('--dropout'),
    DEFAULT_MODEL.dropout,
  )
  .option(
    '--epochs <n>',
    'most epochs (early stopping usually ends sooner)',
    numberArg('--epochs', { int: true }),
    DEFAULT_TRAIN.epochs,
  )
  .option('--batch-size <n>', 'batch size', numberArg('--batch-size', { int: true }), DEFAULT_TRAIN.batchSize)
  .option('--lr <x>', 'Adam learning rate', numberArg('--lr'), DEFAULT_TRAIN.lr)
  .option(
    '--patience <n>',
    'epochs without a better validation loss before stopping',
    numberArg('--patience', { int: true }),
    DEFAULT_TRAIN.patience,
  )
  .option(
    '--horizon <n>',
    'steps of the rolling forecast from the start of the test part',
    numberArg('--horizon', { int: true }),
    DEFAULT_HORIZON,
  )
  .option('--test-fraction <x>', 'share of the series held out at the end', numberArg('--test-fraction'), 0.2)
  .option(
    '--val-fraction <x>',
    'share just before the test part used for early stopping',
    numberArg('--val-fraction'),
    0.12,
  )
  .option(
    '--seed <n>',
    'seed of initialisation, dropout and shuffling',
    numberArg('--seed', { int: true }),
    DEFAULT_TRAIN.seed,
  )
  .option(
    '--max-mae-ratio <x>',
    'exit non-zero when model MAE > this × persistence MAE on the test part',
    numberArg('--max-mae-ratio'),
    1.05,
  )
  .option('--out <dir>', 'output directory (default runs/gold-lstm/<timestamp>)')
  .action(async (o) => {
    const out = resolve(o.out ?? join('runs', 'gold-lstm', timestamp()));
    mkdirSync(out, { recursive: true });
    const data = dataOf(o);
    const series = await seriesOf(data);
    const model: ModelConfig = {
      cell: o.cell as Cell,
      window: o.window,
      hidden: o.hidden,
      layers: o.layers,
      dropout: o.dropout,
      target: o.target as Target,
    };
    const train = { epochs: o.epochs, batchSize: o.batchSize, lr: o.lr, patience: o.patience, seed: o.seed };
    const split = { testFraction: o.testFraction, valFraction: o.valFraction };
    const s = chronologicalSplit(series.values.length, split);
    console.log(`data: ${series.source}`);
    console.log(
      `split: train ${series.dates[0]} … ${series.dates[s.trainEnd - 1]} (${s.trainEnd}), validation … ${series.dates[s.valEnd - 1]} (${s.valEnd - s.trainEnd}), test ${series.dates[s.valEnd]} … ${series.dates[s.n - 1]} (${s.n - s.valEnd})`,
    );
    console.log(`model: ${JSON.stringify(model)}; training: ${JSON.stringify(train)}`);
    const progress = epochReporter({ metric: 'MSE', digits: 5, earlyStopping: true });
    const exp = runExperiment(series, {
      model,
      train: { ...train, onEpoch: progress.onEpoch },
      split,
      horizon: o.horizon,
    });
    progress.stop();
    const { trained, report } = exp;
    console.log(
      `best validation loss at epoch ${trained.bestEpoch} of ${trained.history.length}; trained in ${trained.trainSeconds.toFixed(1)}s`,
    );
    const name = `${model.cell.toUpperCase()} (${model.target})`;
    const run: RunFile = {
      data,
      model,
      split,
      horizon: o.horizon,
      seed: o.seed,
      affine: trained.affine,
      scaler: trained.scaler,
    };
    writeFileSync(join(out, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
    await saveSafetensors(join(out, 'model.safetensors'), trained.model.stateDict(), {
      config: JSON.stringify(model),
      scaler: JSON.stringify(trained.scaler),
    });
    let onnx: unknown;
    try {
      const bytes = exportForecaster(trained.model, trained.affine, trained.scaler);
      writeFileSync(join(out, 'model.onnx'), bytes);
      const parity = await onnxParity(
        bytes,
        trained.model,
        trained.affine,
        rawWindows(series.values, exp.oneStep.t, model.window),
        'node',
      );
      onnx = parity;
      console.log(
        `ONNX (onnxruntime-node) vs tsdl on ${parity.windows} test windows of raw prices: max relative difference ${parity.maxRelDiff.toExponential(2)}`,
      );
      if (!(parity.maxRelDiff <= 1e-4)) {
        console.error(
          'ONNX parity failed: the exported model disagrees with tsdl by more than 1e-4 relative',
        );
        process.exitCode = 1;
      }
    } catch (e) {
      onnx = { error: (e as Error).message };
      console.error(`ONNX export failed: ${(e as Error).message}`);
      process.exitCode = 1;
    }
    const metrics = {
      test: {
        model: report.test.model,
        persistence: report.test.persistence,
        linearAr: report.test.linearAr,
      },
      rolling: report.rolling,
      testPart: { from: report.test.from, to: report.test.to, steps: report.test.windows },
      modelMaeOverPersistence: report.test.modelMaeOverPersistence,
      beatsPersistence: report.test.modelMaeOverPersistence < 1,
      data: { source: series.source, ...data, steps: series.values.length },
      split: { trainSteps: s.trainEnd, valSteps: s.valEnd - s.trainEnd, testSteps: s.n - s.valEnd },
      config: { ...model, ...train, horizon: o.horizon },
      scaler: trained.scaler,
      training: {
        bestEpoch: trained.bestEpoch,
        epochsRun: trained.history.length,
        seconds: trained.trainSeconds,
        history: trained.history,
      },
      onnx,
    };
    writeFileSync(join(out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    writeCharts(out, series, exp, name, trained.history);
    console.log(`\n${reportTable(report, name)}\n`);
    console.log(
      `wrote ${out}/{metrics.json,run.json,model.safetensors,model.onnx,test.svg,rolling.svg,loss.svg}`,
    );
    if (!(report.test.modelMaeOverPersistence <= o.maxMaeRatio)) {
      console.error(
        `model MAE is ${report.test.modelMaeOverPersistence.toFixed(4)} × persistence's, above the target ${o.maxMaeRatio}`,
      );
      process.exitCode = 1;
    }
  });

dataOptions(program.command('evaluate'))
  .description(
    "re-evaluate a trained run on its data's test part (or on --data); --onnx also checks model.onnx in onnxruntime-node and -web",
  )
  .requiredOption('--run <dir>', 'directory written by train')
  .option('--onnx', 'compare model.onnx with tsdl on the test windows (node and web backends)')
  .option('--out <dir>', 'write metrics.json and pictures here')
  .action(async (o) => {
    const { run, model } = await loadRun(o.run);
    const data = o.data ? dataOf(o) : run.data;
    const series = await seriesOf(data);
    const split = chronologicalSplit(series.values.length, run.split);
    const ev = evaluateAll(series, split, model, run.affine, run.horizon);
    const name = `${model.config.cell.toUpperCase()} (${model.config.target})`;
    console.log(`data: ${series.source}`);
    console.log(`\n${reportTable(ev.report, name)}`);
    if (o.onnx) {
      const bytes = new Uint8Array(readFileSync(join(o.run, 'model.onnx')));
      const prices = rawWindows(series.values, ev.oneStep.t, model.config.window);
      for (const backend of ['node', 'web'] as const) {
        const p = await onnxParity(bytes, model, run.affine, prices, backend);
        console.log(
          `ONNX (onnxruntime-${backend}): max relative difference ${p.maxRelDiff.toExponential(2)} on ${p.windows} windows`,
        );
      }
    }
    if (o.out) {
      mkdirSync(o.out, { recursive: true });
      writeFileSync(
        join(o.out, 'metrics.json'),
        `${JSON.stringify({ test: ev.report.test, rolling: ev.report.rolling }, null, 2)}\n`,
      );
      writeCharts(o.out, series, ev, name);
    }
  });

program
  .command('export')
  .description('export a trained run to ONNX (raw prices in, raw next price out)')
  .requiredOption('--run <dir>', 'directory written by train')
  .requiredOption('--out <file>', 'path of the .onnx file to write')
  .action(async (o) => {
    const { run, model } = await loadRun(o.run);
    const bytes = exportForecaster(model, run.affine, run.scaler);
    writeFileSync(o.out, bytes);
    console.log(
      `wrote ${o.out} (${bytes.length} bytes): input 'prices' [batch, ${model.config.window}], output 'next_price' [batch, 1]`,
    );
  });

program
  .command('predict')
  .description('forecast the next value from the last `window` raw values')
  .requiredOption('--run <dir>', 'directory written by train')
  .requiredOption(
    '--last <values>',
    'comma-separated raw values, oldest first, e.g. "4500,4600,4700,4721,4587"',
  )
  .option('--onnx', "use the run's model.onnx in onnxruntime-node instead of tsdl")
  .action(async (o) => {
    const { model, run } = await loadRun(o.run);
    const last = String(o.last)
      .split(',')
      .map((s) => numberArg('--last')(s.trim()));
    const w = model.config.window;
    if (last.length !== w)
      throw new InvalidArgumentError(
        `--last must hold exactly ${w} values (the model's window), received ${last.length}`,
      );
    const prices = new Tensor(Float32Array.from(last), [1, w]);
    const next = o.onnx
      ? (await onnxPredict(new Uint8Array(readFileSync(join(o.run, 'model.onnx'))), prices))[0]!
      : wrapperPredict(model, run.affine, prices)[0]!;
    const change = (next / last[w - 1]! - 1) * 100;
    console.log(
      `next value: ${next.toFixed(2)} (${change >= 0 ? '+' : ''}${change.toFixed(2)}% vs the last ${last[w - 1]}) [${o.onnx ? 'onnxruntime-node' : 'tsdl'}]`,
    );
  });

program.parseAsync().catch((e: Error) => {
  console.error(`error: ${e.message}`);
  process.exit(2);
});
