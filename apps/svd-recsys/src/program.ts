import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { lineChart, numberArg, stepReporter } from '@tsdl/app-kit';
import { loadSafetensors, saveSafetensors } from '@tsdl/nn';
import { Command, InvalidArgumentError } from 'commander';
import { formatDemo, svdDemo } from './demo.js';
import { type EvalResult, evaluateModel, indexTest } from './evaluate.js';
import { exportFactorModel, onnxParity } from './export.js';
import { type FactorModel, fromRecord, type ModelName, toRecord } from './factor-model.js';
import type { EpochInfo } from './mf.js';
import { MF_DEFAULTS } from './mf.js';
import { DEFAULT_K, type FitOptions, fitModel, MODEL_NAMES } from './models.js';
import { movieMap } from './movie-map.js';
import {
  BUNDLED_DIR,
  indexRatings,
  kFold,
  loadRatings,
  loadTitles,
  type RawRatings,
  randomSplit,
  type TrainSet,
} from './ratings.js';
import { findMovie, recommend, similar } from './recommend.js';

const modelName =
  (allowed: readonly ModelName[]) =>
  (v: string): ModelName => {
    if (!allowed.includes(v as ModelName))
      throw new InvalidArgumentError(`--model must be one of ${allowed.join(', ')}, received '${v}'`);
    return v as ModelName;
  };

const fileArg =
  (name: string) =>
  (v: string): string => {
    if (!existsSync(v)) throw new InvalidArgumentError(`${name}: no such file '${v}'`);
    return v;
  };

interface ModelOpts {
  model: ModelName;
  k?: number;
  epochs?: number;
  lr?: number;
  l2?: number;
  batchSize?: number;
  optimizer?: 'adam' | 'sgd';
  seed: number;
}

/** Options shared by every command that fits a model. */
/** `factorsFlag` is --k, except in recommend/similar where --k is the length of the list (as in "top k"). */
function withModelOptions(
  c: Command,
  models: readonly ModelName[],
  def: ModelName,
  factorsFlag: '--k' | '--factors' = '--k',
): Command {
  return c
    .option('--model <name>', `${models.join(' | ')}`, modelName(models), def)
    .option(
      '--ratings <file>',
      'MovieLens ratings.csv or u.data (default: the bundled ml-latest-small)',
      fileArg('--ratings'),
    )
    .option(
      '--movies <file>',
      'movies.csv or u.item for titles (default: beside --ratings, else the bundled one)',
      fileArg('--movies'),
    )
    .option(
      `${factorsFlag} <n>`,
      `latent factors (default: svd ${DEFAULT_K.svd}, mf ${DEFAULT_K.mf})`,
      numberArg(factorsFlag, { int: true, min: 1 }),
    )
    .option(
      '--epochs <n>',
      `mf: epochs (default ${MF_DEFAULTS.epochs})`,
      numberArg('--epochs', { int: true, min: 1 }),
    )
    .option('--lr <x>', `mf: learning rate (default ${MF_DEFAULTS.lr})`, numberArg('--lr', { min: 0 }))
    .option(
      '--l2 <x>',
      `mf: L2 weight on the batch mean of ‖p_u‖²+‖q_i‖²+b_u²+b_i² (default ${MF_DEFAULTS.l2})`,
      numberArg('--l2', { min: 0 }),
    )
    .option(
      '--batch-size <n>',
      `mf: ratings per batch (default ${MF_DEFAULTS.batchSize})`,
      numberArg('--batch-size', { int: true, min: 1 }),
    )
    .option('--optimizer <name>', 'mf: adam | sgd (momentum 0.9)', (v) => {
      if (v !== 'adam' && v !== 'sgd')
        throw new InvalidArgumentError(`--optimizer must be adam or sgd, received '${v}'`);
      return v;
    })
    .option(
      '--seed <n>',
      'seed of mf initialisation and shuffling, and of the randomised SVD',
      numberArg('--seed', { int: true }),
      0,
    );
}

function fitOptions(o: ModelOpts, tty = true): FitOptions & { reporter?: ReturnType<typeof stepReporter> } {
  const mf: NonNullable<FitOptions['mf']> = {};
  if (o.epochs) mf.epochs = o.epochs;
  if (o.lr !== undefined) mf.lr = o.lr;
  if (o.l2 !== undefined) mf.l2 = o.l2;
  if (o.batchSize) mf.batchSize = o.batchSize;
  if (o.optimizer) mf.optimizer = o.optimizer;
  const out: FitOptions & { reporter?: ReturnType<typeof stepReporter> } = { seed: o.seed, mf };
  if (o.k) out.k = o.k;
  if (o.model === 'mf' && tty) {
    const reporter = stepReporter({ unit: 'ratings' });
    out.reporter = reporter;
    mf.onStep = reporter.onStep;
    mf.onEpoch = (e) => {
      reporter.stop();
      console.log(
        `  epoch ${e.epoch}: train MSE ${e.trainMse.toFixed(4)}${e.validRmse !== undefined ? `, held-out RMSE ${e.validRmse.toFixed(4)}` : ''}, ${e.seconds.toFixed(1)}s`,
      );
    };
  }
  return out;
}

function ratingsPath(o: { ratings?: string }): string {
  return resolve(o.ratings ?? join(BUNDLED_DIR, 'ratings.csv'));
}

function titles(o: { ratings?: string; movies?: string }): Map<number, string> {
  if (o.movies) return loadTitles(o.movies);
  if (o.ratings) {
    for (const f of ['movies.csv', 'u.item']) {
      const p = join(dirname(o.ratings), f);
      if (existsSync(p)) return loadTitles(p);
    }
    return new Map();
  }
  return loadTitles(join(BUNDLED_DIR, 'movies.csv'));
}

function curves(history: EpochInfo[], model: string): string {
  const series = [
    { name: 'train RMSE (batches)', values: history.map((e) => Math.sqrt(e.trainMse)), color: '#d62728' },
  ];
  if (history.every((e) => e.validRmse !== undefined))
    series.push({ name: 'held-out RMSE', values: history.map((e) => e.validRmse!), color: '#1f77b4' });
  return lineChart(series, { title: `${model}: RMSE per epoch`, xLabel: 'epoch', yLabel: 'RMSE' });
}

const outDir = (o: { out?: string }, cmd: string) => {
  const out = resolve(
    o.out ?? join('runs', 'svd-recsys', `${cmd}-${new Date().toISOString().replace(/[:.]/g, '-')}`),
  );
  mkdirSync(out, { recursive: true });
  return out;
};

const round = (v: number) => Number(v.toFixed(5));

/**
 * The CLI as a commander program. `exitOverride` makes argument errors throw (CommanderError) instead
 * of exiting, for tests; it must be set before the sub-commands are added so they inherit it.
 */
export function createProgram(
  opts: { exitOverride?: boolean; writeErr?: (s: string) => void } = {},
): Command {
  const program = new Command()
    .name('svd-recsys')
    .description('SVD, PCA and matrix factorisation recommenders on MovieLens ratings.')
    .showHelpAfterError();
  if (opts.exitOverride) program.exitOverride();
  if (opts.writeErr) program.configureOutput({ writeErr: opts.writeErr });

  program
    .command('demo')
    .description(
      'SVD of the classic 5×4 ratings matrix (no centring; 0 = unknown): U, Σ, Vᵀ, the rank-k reconstruction and its MSE on the known ratings',
    )
    .option('--k <n>', 'rank of the reconstruction', numberArg('--k', { int: true, min: 1 }), 2)
    .action((o) => {
      if (o.k > 4)
        throw new InvalidArgumentError(`--k must be at most 4 (the rank of a 5×4 matrix), received ${o.k}`);
      console.log(formatDemo(svdDemo(undefined, o.k), undefined, o.k));
    });

  withModelOptions(program.command('evaluate'), MODEL_NAMES, 'mf')
    .description(
      'fit on a split and report RMSE, MAE, precision@10, recall@10 and NDCG@10 on the held-out ratings',
    )
    .option(
      '--train <file>',
      'training ratings of a given split (e.g. MovieLens-100k u1.base); needs --test',
      fileArg('--train'),
    )
    .option('--test <file>', 'held-out ratings of that split (e.g. u1.test)', fileArg('--test'))
    .option(
      '--folds <n>',
      'k-fold cross-validation instead of one 80/20 split',
      numberArg('--folds', { int: true, min: 2 }),
    )
    .option(
      '--split-seed <n>',
      'seed of the shuffle behind the 80/20 split and the folds',
      numberArg('--split-seed', { int: true }),
      42,
    )
    .option(
      '--target-rmse <x>',
      'exit non-zero when the RMSE is above this',
      numberArg('--target-rmse', { min: 0 }),
    )
    .option('--out <dir>', 'output directory (default runs/svd-recsys/evaluate-<time>)')
    .action((o) => {
      if (Boolean(o.train) !== Boolean(o.test))
        throw new InvalidArgumentError('--train and --test go together: give both files or neither');
      if (o.train && (o.folds || o.ratings))
        throw new InvalidArgumentError('--train/--test is a given split: it excludes --folds and --ratings');
      const out = outDir(o, 'evaluate');
      let splits: { train: RawRatings; test: RawRatings }[];
      let split: string;
      if (o.train) {
        splits = [{ train: loadRatings(o.train), test: loadRatings(o.test) }];
        split = `given: ${resolve(o.train)} / ${resolve(o.test)}`;
      } else {
        const all = loadRatings(ratingsPath(o));
        splits = o.folds ? kFold(all, o.folds, o.splitSeed) : [randomSplit(all, 0.2, o.splitSeed)];
        split = o.folds
          ? `${o.folds}-fold (seed ${o.splitSeed})`
          : `80/20 random split (seed ${o.splitSeed})`;
      }
      const data = o.train ? 'given split' : ratingsPath(o);
      console.log(`${o.model} on ${data}: ${split}`);
      const folds: (EvalResult & {
        fold: number;
        trainRatings: number;
        k: number;
        fitSeconds: number;
        evalSeconds: number;
      })[] = [];
      let history: EpochInfo[] = [];
      for (const [f, s] of splits.entries()) {
        const train = indexRatings(s.train);
        const opts = fitOptions(o, true);
        if (opts.mf && f === 0) opts.mf.valid = indexTest(train, s.test);
        const t0 = performance.now();
        const fit = fitModel(o.model, train, opts);
        const fitSeconds = (performance.now() - t0) / 1000;
        if (f === 0) history = fit.history;
        const t1 = performance.now();
        const r = evaluateModel(fit.model, train, s.test);
        const evalSeconds = (performance.now() - t1) / 1000;
        console.log(
          `fold ${f + 1}/${splits.length}: RMSE ${r.rmse.toFixed(4)} MAE ${r.mae.toFixed(4)} P@10 ${r.precisionAt10.toFixed(4)} R@10 ${r.recallAt10.toFixed(4)} NDCG@10 ${r.ndcgAt10.toFixed(4)} ` +
            `(${train.ratings.length} train / ${r.testRatings} test ratings, ${r.coldStart.ratings} cold-start; fit ${fitSeconds.toFixed(1)}s, eval ${evalSeconds.toFixed(1)}s)`,
        );
        folds.push({
          fold: f + 1,
          ...r,
          trainRatings: train.ratings.length,
          k: fit.model.k,
          fitSeconds,
          evalSeconds,
        });
      }
      const avg = (
        key: 'rmse' | 'mae' | 'precisionAt10' | 'recallAt10' | 'ndcgAt10' | 'fitSeconds' | 'evalSeconds',
      ) => folds.reduce((s, f) => s + f[key], 0) / folds.length;
      const std = (key: 'rmse' | 'mae') =>
        Math.sqrt(folds.reduce((s, f) => s + (f[key] - avg(key)) ** 2, 0) / folds.length);
      const metrics = {
        model: o.model,
        rmse: round(avg('rmse')),
        mae: round(avg('mae')),
        precisionAt10: round(avg('precisionAt10')),
        recallAt10: round(avg('recallAt10')),
        ndcgAt10: round(avg('ndcgAt10')),
        rmseStd: round(std('rmse')),
        maeStd: round(std('mae')),
        timing: {
          fitSecondsMean: round(avg('fitSeconds')),
          evalSecondsMean: round(avg('evalSeconds')),
          totalSeconds: round(folds.reduce((s, f) => s + f.fitSeconds + f.evalSeconds, 0)),
        },
        coldStart: {
          ratings: folds.reduce((s, f) => s + f.coldStart.ratings, 0),
          users: folds.reduce((s, f) => s + f.coldStart.users, 0),
          items: folds.reduce((s, f) => s + f.coldStart.items, 0),
          note: 'summed over folds; cold-start ratings are predicted from the biases / global mean',
        },
        relevance: 'test ratings ≥ 4 are relevant; each user ranks every known item not rated in training',
        data,
        split,
        config: {
          k: folds[0]!.k,
          seed: o.seed,
          ...(o.model === 'mf' ? { ...MF_DEFAULTS, ...fitOptions(o, false).mf, seed: o.seed } : {}),
        },
        folds,
        history,
      };
      writeFileSync(join(out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
      if (history.length > 0) writeFileSync(join(out, 'curves.svg'), curves(history, `${o.model} (fold 1)`));
      console.log(
        `${o.model}: RMSE ${metrics.rmse.toFixed(4)} ± ${metrics.rmseStd.toFixed(4)}, MAE ${metrics.mae.toFixed(4)}, P@10 ${metrics.precisionAt10.toFixed(4)}, R@10 ${metrics.recallAt10.toFixed(4)}, NDCG@10 ${metrics.ndcgAt10.toFixed(4)}; ` +
          `fit ${metrics.timing.fitSecondsMean.toFixed(1)}s per fold`,
      );
      console.log(`wrote ${join(out, 'metrics.json')}${history.length > 0 ? ' and curves.svg' : ''}`);
      if (o.targetRmse !== undefined && metrics.rmse > o.targetRmse) {
        console.error(`RMSE ${metrics.rmse} is above the target ${o.targetRmse}`);
        process.exitCode = 1;
      }
    });

  /** Fits on every rating of the file (or loads --weights fitted on the same file). */
  async function fullModel(
    o: ModelOpts & { ratings?: string; weights?: string },
  ): Promise<{ model: FactorModel; train: TrainSet; history: EpochInfo[] }> {
    const train = indexRatings(loadRatings(ratingsPath(o)));
    if (o.weights) {
      const model = fromRecord(o.model, await loadSafetensors(o.weights));
      const same = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((v, i) => v === b[i]);
      if (!same(model.userIds, train.userIds) || !same(model.itemIds, train.itemIds)) {
        throw new Error(
          `--weights: ${o.weights} was fitted on other ratings than ${ratingsPath(o)} (its user/item ids differ); pass the same --ratings`,
        );
      }
      return { model, train, history: [] };
    }
    console.log(
      `fitting ${o.model} on all ${train.ratings.length} ratings of ${ratingsPath(o)} (${train.nUsers} users, ${train.nItems} items)`,
    );
    const opts = fitOptions(o, true);
    const t0 = performance.now();
    const fit = fitModel(o.model, train, opts);
    console.log(`fitted in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
    return { ...fit, train };
  }

  withModelOptions(program.command('train'), MODEL_NAMES, 'mf')
    .description(
      'fit on all ratings; write the factors (safetensors), a PCA map of the movies and, for mf, the training curve',
    )
    .option('--out <dir>', 'output directory (default runs/svd-recsys/train-<time>)')
    .action(async (o) => {
      const out = outDir(o, 'train');
      const { model, train, history } = await fullModel(o);
      await saveSafetensors(join(out, 'model.safetensors'), toRecord(model));
      const files = ['model.safetensors', 'metrics.json'];
      const info: Record<string, unknown> = {
        model: o.model,
        k: model.k,
        users: train.nUsers,
        items: train.nItems,
        ratings: train.ratings.length,
        data: ratingsPath(o),
        history,
      };
      if (model.k >= 2) {
        const map = movieMap(model, train, titles(o));
        writeFileSync(join(out, 'movie-map.svg'), map.svg);
        info.pcaExplainedVarianceRatio = map.explained;
        files.push('movie-map.svg');
      }
      if (history.length > 0) {
        writeFileSync(join(out, 'curves.svg'), curves(history, o.model));
        files.push('curves.svg');
      }
      writeFileSync(join(out, 'metrics.json'), `${JSON.stringify(info, null, 2)}\n`);
      console.log(`wrote ${out}/{${files.join(',')}}`);
    });

  withModelOptions(program.command('recommend'), MODEL_NAMES, 'mf', '--factors')
    .description('the top movies for a user among those they have not rated, with predicted ratings')
    .requiredOption('--user <id>', 'user id as in the ratings file', numberArg('--user', { int: true }))
    .option('--k <n>', 'how many movies', numberArg('--k', { int: true, min: 1 }), 10)
    .option(
      '--weights <file>',
      'model.safetensors written by train (fitted on the same --ratings) instead of fitting now',
      fileArg('--weights'),
    )
    .action(async (o) => {
      const { model, train } = await fullModel({ ...o, k: o.factors });
      const recs = recommend(model, train, titles(o), o.user, o.k);
      console.log(`top ${recs.length} for user ${o.user} (${o.model}):`);
      for (const [j, r] of recs.entries())
        console.log(`${String(j + 1).padStart(3)}. ${r.predicted.toFixed(2)}  ${r.title}`);
    });

  withModelOptions(program.command('similar'), ['svd', 'mf'], 'mf', '--factors')
    .description('movies whose item factors are closest (cosine) to a given movie')
    .requiredOption('--movie <title>', 'exact title or a unique part of it, e.g. "Toy Story (1995)"')
    .option('--k <n>', 'how many movies', numberArg('--k', { int: true, min: 1 }), 10)
    .option(
      '--weights <file>',
      'model.safetensors written by train instead of fitting now',
      fileArg('--weights'),
    )
    .action(async (o) => {
      const t = titles(o);
      const { model, train } = await fullModel({ ...o, k: o.factors });
      const id = findMovie(t, train, o.movie);
      console.log(
        `most similar to ${t.get(id)} (${o.model}, cosine of item factors, movies with ≥ 20 ratings):`,
      );
      for (const [j, s] of similar(model, train, t, id, o.k).entries())
        console.log(`${String(j + 1).padStart(3)}. ${s.cosine.toFixed(3)}  ${s.title}`);
    });

  withModelOptions(program.command('export'), ['svd', 'mf'], 'mf')
    .description(
      'write rating.onnx (user, item → rating), topk.onnx (user, mask → best items) and model.safetensors; check both against onnxruntime-node',
    )
    .option('--top <n>', 'K of the top-K model', numberArg('--top', { int: true, min: 1 }), 10)
    .option(
      '--weights <file>',
      'model.safetensors written by train instead of fitting now',
      fileArg('--weights'),
    )
    .option('--out <dir>', 'output directory (default runs/svd-recsys/export-<time>)')
    .action(async (o) => {
      const out = outDir(o, 'export');
      const { model, train } = await fullModel(o);
      const e = exportFactorModel(model, o.top);
      writeFileSync(join(out, 'rating.onnx'), e.rating);
      writeFileSync(join(out, 'topk.onnx'), e.topk);
      await saveSafetensors(join(out, 'model.safetensors'), toRecord(model));
      const p = await onnxParity(e, train.nUsers, train.nItems);
      writeFileSync(join(out, 'parity.json'), `${JSON.stringify(p, null, 2)}\n`);
      console.log(
        `onnxruntime-node vs tsdl: ${p.pairs} pairs max |Δrating| ${p.maxRatingDiff.toExponential(2)}; ${p.users} users top-${o.top} max |Δscore| ${p.maxTopkScoreDiff.toExponential(2)}, same ids: ${p.sameTopkIds}`,
      );
      console.log(`wrote ${out}/{rating.onnx,topk.onnx,model.safetensors,parity.json}`);
      if (p.maxRatingDiff > 1e-5 || p.maxTopkScoreDiff > 1e-4 || !p.sameTopkIds) {
        console.error('ONNX parity failed: the exported graphs disagree with tsdl');
        process.exitCode = 1;
      }
    });

  return program;
}
