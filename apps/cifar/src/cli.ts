#!/usr/bin/env node
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { heatmap, lineChart, numberArg, stepReporter } from '@tsdl/app-kit';
import { decodeSafetensors, type Sequential, saveCheckpoint, saveSafetensors } from '@tsdl/nn';
import { getNumThreads, setNumThreads } from '@tsdl/tensor';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { CLASSES, hasCifar, loadCifar, PIXELS, subset } from './dataset.js';
import { CIFAR_URL, downloadCifar } from './download.js';
import { classificationReport, exportCifarOnnx, onnxParity } from './evaluate.js';
import { decodeImage, encodePng, toCifar } from './image.js';
import { createModel, MODEL_NAMES, type ModelName, RECIPES, type RecipeConfig } from './model.js';
import { type ChannelStats, normalizeBytes } from './normalize.js';
import { predictionsGrid } from './predictions-grid.js';
import { argmaxRows, predictProba, predictProbaNormalized, type TrainResult, trainCnn } from './train.js';

const DEFAULT_DATA = join('data', 'cifar10');

/** One screen on how to get the data, for a `train`/`evaluate` that finds none. */
function noDataHelp(dir: string): string {
  return [
    `No CIFAR-10 data in ${resolve(dir)}.`,
    '',
    'Get it one of these ways, then run train again:',
    '',
    '  1. Download the official binary version (170 MB, MD5-checked, resumable):',
    '       pnpm cifar download                 # → data/cifar10/cifar-10-batches-bin/',
    `     (from ${CIFAR_URL})`,
    '',
    '  2. Point --data at a folder you already have, in either layout:',
    '       --data DIR   DIR/cifar-10-batches-bin/{data_batch_1..5,test_batch}.bin  (or DIR holds the .bin files)',
    '       --data DIR   DIR/train/<class>/*.jpg|png and DIR/test/<class>/*.jpg|png  (ImageFolder layout;',
    '                    class folders: airplane automobile bird cat deer dog frog horse ship truck)',
    '',
    '  Example with an image-folder copy:',
    '       tar xzf cifar10-images.tar.gz -C /tmp/cifar10 && pnpm cifar train --data /tmp/cifar10',
  ].join('\n');
}

function requireData(dir: string): void {
  if (!hasCifar(dir)) {
    console.error(noDataHelp(dir));
    process.exit(2);
  }
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** Weights travel with their architecture name and input scaling in the safetensors metadata. */
function weightsMetadata(model: ModelName, stats: ChannelStats): Record<string, string> {
  return {
    model,
    mean: JSON.stringify(stats.mean),
    std: JSON.stringify(stats.std),
    classes: JSON.stringify(CLASSES),
  };
}

async function loadWeights(
  path: string,
): Promise<{ model: Sequential; name: ModelName; stats: ChannelStats }> {
  const { tensors, metadata } = decodeSafetensors(readFileSync(path));
  const name = metadata.model as ModelName;
  if (!MODEL_NAMES.includes(name))
    throw new Error(
      `${path}: metadata 'model' is '${metadata.model}', expected one of ${MODEL_NAMES.join(', ')} (weights written by cifar train)`,
    );
  if (!metadata.mean || !metadata.std)
    throw new Error(`${path}: metadata lacks the input normalisation (mean, std)`);
  const model = createModel(name);
  model.loadStateDict(tensors);
  model.eval();
  return { model, name, stats: { mean: JSON.parse(metadata.mean), std: JSON.parse(metadata.std) } };
}

/** Up to 32 held-out predictions: the first images, half right and half wrong where there are enough. */
function samplePicks(labels: Int32Array, pred: Int32Array, n = 32): number[] {
  const right: number[] = [];
  const wrong: number[] = [];
  for (let i = 0; i < labels.length && (right.length < n || wrong.length < n); i++)
    (pred[i] === labels[i] ? right : wrong).push(i);
  const w = wrong.slice(0, Math.max(n / 2, n - right.length));
  return [...right.slice(0, n - w.length), ...w].sort((a, b) => a - b);
}

const program = new Command()
  .name('cifar')
  .description('Train a CNN on CIFAR-10, export it to ONNX, and predict.')
  .showHelpAfterError();

program
  .command('train')
  .description('train a CNN, evaluate on the test set, write metrics, pictures, weights and ONNX')
  .option(
    '--model <name>',
    'simple (the LeNet-style reference) | better (conv-BN-ReLU, augmentation, cosine LR)',
    'simple',
  )
  .option('--epochs <n>', 'epochs (default: the recipe’s)', numberArg('--epochs', { int: true, min: 0 }))
  .option(
    '--batch-size <n>',
    'batch size (default: the recipe’s)',
    numberArg('--batch-size', { int: true, min: 0 }),
  )
  .option('--lr <x>', 'learning rate (default: the recipe’s)', numberArg('--lr', { min: 0 }))
  .option('--optimizer <name>', 'sgd | sgd-nesterov | adamw (default: the recipe’s)')
  .option(
    '--seed <n>',
    'seed for initialisation, shuffling and augmentation',
    numberArg('--seed', { int: true, min: 0 }),
    0,
  )
  .option(
    '--data <dir>',
    'cifar-10-batches-bin or an image folder (train/<class>/, test/<class>/)',
    DEFAULT_DATA,
  )
  .option(
    '--train-limit <n>',
    'train on a seeded random subset of this many images',
    numberArg('--train-limit', { int: true, min: 0 }),
  )
  .option(
    '--test-limit <n>',
    'evaluate on a seeded random subset of this many test images',
    numberArg('--test-limit', { int: true, min: 0 }),
  )
  .option('--out <dir>', 'output directory (default runs/cifar/<model>-<timestamp>)')
  .option(
    '--threads <n>',
    'threads for matrix products (main + workers); results do not depend on it',
    numberArg('--threads', { int: true, min: 1 }),
    1,
  )
  .option(
    '--target <acc>',
    'exit 1 when test accuracy (a fraction) is below this',
    numberArg('--target', { min: 0 }),
  )
  .action(async (o) => {
    const name = o.model as ModelName;
    if (!MODEL_NAMES.includes(name))
      throw new InvalidArgumentError(`--model must be simple or better, received '${o.model}'`);
    const recipe: RecipeConfig = { ...RECIPES[name] };
    if (o.epochs) recipe.epochs = o.epochs;
    if (o.batchSize) recipe.batchSize = o.batchSize;
    if (o.lr) recipe.lr = o.lr;
    if (o.optimizer) {
      if (!['sgd', 'sgd-nesterov', 'adamw'].includes(o.optimizer))
        throw new InvalidArgumentError(
          `--optimizer must be sgd, sgd-nesterov or adamw, received '${o.optimizer}'`,
        );
      recipe.optimizer = o.optimizer;
    }
    requireData(o.data);
    if (o.threads > 1) setNumThreads(o.threads);
    const out = resolve(o.out ?? join('runs', 'cifar', `${name}-${timestamp()}`));
    mkdirSync(out, { recursive: true });
    const t0 = performance.now();
    const { train, test, format, source } = loadCifar(o.data, {
      train: o.trainLimit,
      test: o.testLimit,
      seed: o.seed,
    });
    console.log(
      `data: ${source} (${format}): ${train.count} train / ${test.count} test images, loaded in ${((performance.now() - t0) / 1000).toFixed(1)}s`,
    );
    console.log(`model ${name}: ${JSON.stringify(recipe)}, seed ${o.seed}`);
    const progress = stepReporter();
    const partial = (r: TrainResult) => ({
      model: name,
      recipe,
      seed: o.seed,
      threads: getNumThreads(),
      data: source,
      epochsCompleted: r.history.length,
      secondsPerEpoch: r.secondsPerEpoch,
      samplesPerSec: r.samplesPerSec,
      history: r.history,
    });
    const result = await trainCnn(train, {
      model: name,
      recipe,
      seed: o.seed,
      test,
      onStep: progress.onStep,
      onEpoch: async (e, r) => {
        progress.stop();
        console.log(
          `epoch ${e.epoch}/${recipe.epochs}: train loss ${e.trainLoss.toFixed(4)}, test accuracy ${(e.testAccuracy * 100).toFixed(2)}%, ${e.seconds.toFixed(1)}s (${Math.round(e.samplesPerSec)} samples/s), lr ${e.lr.toPrecision(3)}`,
        );
        // A checkpoint and the curve so far after every epoch: long runs can be watched and resumed.
        await saveCheckpoint(join(out, 'checkpoint.safetensors'), {
          model: r.model,
          optimizer: r.optimizer,
          generators: r.generators,
          ...(r.scheduler ? { schedulers: { lr: r.scheduler } } : {}),
          epoch: e.epoch,
          extra: weightsMetadata(name, r.stats),
        });
        await writeFile(join(out, 'progress.json'), `${JSON.stringify(partial(r), null, 2)}\n`);
      },
    });
    const { model, stats } = result;
    const probs = predictProba(model, test, stats);
    const pred = argmaxRows(probs);
    const report = classificationReport(test.labels, pred);
    await saveSafetensors(join(out, 'model.safetensors'), model.stateDict(), weightsMetadata(name, stats));
    const onnxBytes = exportCifarOnnx(model, stats, name);
    await writeFile(join(out, 'model.onnx'), onnxBytes);
    const parity = await onnxParity(
      model,
      subset(
        test,
        Array.from({ length: Math.min(1000, test.count) }, (_, i) => i),
      ),
      stats,
      onnxBytes,
    );
    const metrics = {
      accuracy: report.accuracy,
      secondsPerEpoch: result.secondsPerEpoch,
      samplesPerSec: result.samplesPerSec,
      trainSeconds: result.trainSeconds,
      epochs: result.history.length,
      model: name,
      recipe,
      seed: o.seed,
      threads: getNumThreads(),
      data: { source, format, trainImages: train.count, testImages: test.count },
      normalization: stats,
      macroF1: report.macroF1,
      perClass: report.perClass,
      confusionMatrix: report.confusionMatrix,
      classes: CLASSES,
      history: result.history,
      onnx: parity,
    };
    writeFileSync(join(out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    const h = result.history;
    writeFileSync(
      join(out, 'loss.svg'),
      lineChart([{ name: 'train loss', values: h.map((e) => e.trainLoss), color: '#d62728' }], {
        title: `CIFAR-10 ${name}: training loss`,
        xLabel: 'epoch',
        yLabel: 'cross-entropy',
      }),
    );
    writeFileSync(
      join(out, 'accuracy.svg'),
      lineChart([{ name: 'test accuracy', values: h.map((e) => e.testAccuracy), color: '#1f77b4' }], {
        title: `CIFAR-10 ${name}: test accuracy per epoch`,
        xLabel: 'epoch',
        yLabel: 'accuracy',
      }),
    );
    writeFileSync(
      join(out, 'confusion.svg'),
      heatmap(report.confusionMatrix, [...CLASSES], `CIFAR-10 ${name}: test confusion matrix`),
    );
    const picks = samplePicks(test.labels, pred);
    writeFileSync(
      join(out, 'predictions.svg'),
      predictionsGrid(
        picks.map((i) => ({
          image: test.images.subarray(i * PIXELS, (i + 1) * PIXELS),
          label: test.labels[i]!,
          pred: pred[i]!,
          prob: probs[i * 10 + pred[i]!]!,
        })),
        CLASSES,
        `CIFAR-10 ${name}: sample test predictions (${(report.accuracy * 100).toFixed(1)}% overall)`,
        encodePng,
      ),
    );
    console.log(
      `test accuracy ${(report.accuracy * 100).toFixed(2)}% on ${test.count} images; ${result.secondsPerEpoch.toFixed(1)} s/epoch (${Math.round(result.samplesPerSec)} samples/s)`,
    );
    console.log(
      `ONNX (onnxruntime-node): top-1 agreement ${(parity.agreement * 100).toFixed(2)}% on ${parity.images} images, max |Δp| ${parity.maxProbDiff.toExponential(2)}`,
    );
    console.log(
      `wrote ${out}/{metrics.json,loss.svg,accuracy.svg,confusion.svg,predictions.svg,model.safetensors,checkpoint.safetensors,model.onnx}`,
    );
    if (parity.agreement < 0.999) {
      console.error('ONNX parity failed: the exported model disagrees with tsdl on more than 0.1% of images');
      process.exitCode = 1;
    }
    if (o.target !== undefined && report.accuracy < o.target) {
      console.error(`test accuracy ${report.accuracy.toFixed(4)} is below the target ${o.target}`);
      process.exitCode = 1;
    }
  });

program
  .command('evaluate')
  .description('evaluate saved weights on the test set (and the ONNX export with --onnx)')
  .requiredOption('--weights <file>', 'model.safetensors written by train')
  .option('--data <dir>', 'cifar-10-batches-bin or an image folder', DEFAULT_DATA)
  .option(
    '--test-limit <n>',
    'evaluate on a seeded random subset of this many test images',
    numberArg('--test-limit', { int: true, min: 0 }),
  )
  .option('--seed <n>', 'seed of that subset', numberArg('--seed', { int: true, min: 0 }), 0)
  .option('--onnx', 'also export and compare with onnxruntime-node')
  .action(async (o) => {
    requireData(o.data);
    const { test } = loadCifar(o.data, { train: 0, test: o.testLimit, seed: o.seed });
    const { model, stats, name } = await loadWeights(o.weights);
    const report = classificationReport(test.labels, argmaxRows(predictProba(model, test, stats)));
    console.log(`accuracy ${(report.accuracy * 100).toFixed(2)}% on ${test.count} test images`);
    for (const c of report.perClass)
      console.log(
        `  ${c.class.padEnd(10)} precision ${c.precision.toFixed(3)} recall ${c.recall.toFixed(3)} f1 ${c.f1.toFixed(3)}`,
      );
    if (o.onnx)
      console.log(
        JSON.stringify(await onnxParity(model, test, stats, exportCifarOnnx(model, stats, name)), null, 2),
      );
  });

program
  .command('export')
  .description(
    'export saved weights to ONNX (input: normalised [batch, 3, 32, 32]; mean/std in the metadata)',
  )
  .requiredOption('--weights <file>', 'model.safetensors')
  .requiredOption('--out <file>', 'path of the .onnx file to write')
  .action(async (o) => {
    const w = await loadWeights(o.weights);
    const bytes = exportCifarOnnx(w.model, w.stats, w.name);
    await writeFile(o.out, bytes);
    console.log(`wrote ${o.out} (${bytes.length} bytes)`);
  });

program
  .command('predict')
  .description('classify a PNG or JPEG image (any size: centre square crop, resized to 32×32 RGB)')
  .argument('<image>', 'PNG or JPEG file')
  .requiredOption('--weights <file>', 'model.safetensors')
  .action(async (image: string, o) => {
    if (!existsSync(image)) throw new Error(`predict: no such file ${image}`);
    const x = toCifar(decodeImage(readFileSync(image)));
    const { model, stats } = await loadWeights(o.weights);
    const p = predictProbaNormalized(model, normalizeBytes(x, 1, stats), 1);
    const best = argmaxRows(p)[0]!;
    console.log(`predicted ${CLASSES[best]} (p = ${p[best]!.toFixed(4)})`);
    console.log(CLASSES.map((c, i) => `${c}: ${p[i]!.toFixed(4)}`).join('  '));
  });

program
  .command('download')
  .description('download and extract the official CIFAR-10 binary version (MD5-checked, resumable, atomic)')
  .option('--out <dir>', 'target directory', DEFAULT_DATA)
  .option('--url <url>', 'where to download cifar-10-binary.tar.gz from', CIFAR_URL)
  .action(async (o) => {
    const bar = process.stderr.isTTY
      ? new cliProgress.SingleBar(
          { format: 'download [{bar}] {percentage}% | {value}/{total} MB', stream: process.stderr },
          cliProgress.Presets.shades_classic,
        )
      : null;
    let started = false;
    const dir = await downloadCifar(o.out, {
      url: o.url,
      log: console.log,
      onBytes: (got, total) => {
        if (!bar || total === null) return;
        if (!started) bar.start(Math.round(total / 1e6), 0);
        started = true;
        bar.update(Math.round(got / 1e6));
      },
    });
    bar?.stop();
    console.log(`CIFAR-10 is in ${dir}; train with: pnpm cifar train --data ${o.out}`);
  });

program.parseAsync().catch((e: Error) => {
  console.error(`error: ${e.message}`);
  process.exit(2);
});
