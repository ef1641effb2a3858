// Training progress: a cli-progress bar on a TTY, plain log lines otherwise (CI, pipes, log files).
import cliProgress from 'cli-progress';

/** What a training loop reports after each optimizer step. */
export interface StepProgress {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  loss: number;
  samplesPerSec: number;
}

/** What a training loop with a validation set reports after each epoch. */
export interface EpochProgress {
  epoch: number;
  epochs: number;
  trainLoss: number;
  valLoss: number;
  /** The validation loss is the lowest so far. */
  best: boolean;
  seconds: number;
}

interface CommonOptions {
  /** Draw a bar (default: whether stderr is a TTY). */
  tty?: boolean;
  /** Where plain lines go (default console.log). */
  log?: (line: string) => void;
  /** Where the bar is drawn (default process.stderr). */
  stream?: NodeJS.WritableStream;
}

export interface StepReporterOptions extends CommonOptions {
  /** Plain lines every this many steps (and at the end of each epoch); default 20. */
  every?: number;
  /** What a sample is called in the throughput, e.g. 'ratings' (default 'samples'). */
  unit?: string;
}

export interface EpochReporterOptions extends CommonOptions {
  /** The loss's name in the output, e.g. 'MSE' (default 'loss'). */
  metric?: string;
  /** Decimals of the losses (default 4). */
  digits?: number;
  /** Training may end before `epochs`: said next to the ETA. */
  earlyStopping?: boolean;
}

function makeBar(format: string, opts: CommonOptions): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    {
      format,
      stream: opts.stream ?? process.stderr,
      hideCursor: true,
      // An explicit stream is drawn to even when it is not a terminal (tests, custom sinks).
      noTTYOutput: opts.stream !== undefined,
    },
    cliProgress.Presets.shades_classic,
  );
}

/** One bar per epoch over its steps; plain lines every `every` steps and at each epoch's end, with an ETA. */
export function stepReporter(opts: StepReporterOptions = {}): {
  onStep: (s: StepProgress) => void;
  stop: () => void;
} {
  const tty = opts.tty ?? Boolean(process.stderr.isTTY);
  const unit = opts.unit ?? 'samples';
  if (!tty) {
    const every = opts.every ?? 20;
    const log = opts.log ?? console.log;
    const t0 = performance.now();
    return {
      onStep: (s) => {
        if (s.step % every !== 0 && s.step !== s.stepsPerEpoch) return;
        const done = (s.epoch - 1) * s.stepsPerEpoch + s.step;
        const left = s.epochs * s.stepsPerEpoch - done;
        const eta = ((performance.now() - t0) / 1000 / done) * left;
        log(
          `epoch ${s.epoch}/${s.epochs} step ${s.step}/${s.stepsPerEpoch} loss ${s.loss.toFixed(4)} ${Math.round(s.samplesPerSec)} ${unit}/s ETA ${eta.toFixed(0)}s`,
        );
      },
      stop: () => {},
    };
  }
  const bar = makeBar(
    `epoch {epoch}/{epochs} [{bar}] step {value}/{total} | loss {loss} | {sps} ${unit}/s | ETA {eta_formatted}`,
    opts,
  );
  let epoch = 0;
  return {
    onStep: (s) => {
      if (s.epoch !== epoch) {
        if (epoch !== 0) bar.stop();
        epoch = s.epoch;
        bar.start(s.stepsPerEpoch, 0, { epoch: s.epoch, epochs: s.epochs, loss: '-', sps: '-' });
      }
      bar.update(s.step, { loss: s.loss.toFixed(4), sps: Math.round(s.samplesPerSec) });
    },
    stop: () => bar.stop(),
  };
}

/** One bar over the epochs with the train/validation losses and the best so far; one line per epoch otherwise. */
export function epochReporter(opts: EpochReporterOptions = {}): {
  onEpoch: (e: EpochProgress) => void;
  stop: () => void;
} {
  const tty = opts.tty ?? Boolean(process.stderr.isTTY);
  const metric = opts.metric ?? 'loss';
  const digits = opts.digits ?? 4;
  if (!tty) {
    const log = opts.log ?? console.log;
    return {
      onEpoch: (e) =>
        log(
          `epoch ${e.epoch}/${e.epochs}: train ${metric} ${e.trainLoss.toFixed(digits)}, validation ${metric} ${e.valLoss.toFixed(digits)}${e.best ? ' (best)' : ''}, ${e.seconds.toFixed(2)}s`,
        ),
      stop: () => {},
    };
  }
  const bar = makeBar(
    `epoch [{bar}] {value}/{total} | train ${metric} {train} | val ${metric} {val} (best {best} @ {bestEpoch}) | ETA {eta_formatted}${opts.earlyStopping ? ' (early stopping may end sooner)' : ''}`,
    opts,
  );
  let started = false;
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  return {
    onEpoch: (e) => {
      if (!started) {
        bar.start(e.epochs, 0, { train: '-', val: '-', best: '-', bestEpoch: '-' });
        started = true;
      }
      if (e.best) {
        best = e.valLoss;
        bestEpoch = e.epoch;
      }
      bar.update(e.epoch, {
        train: e.trainLoss.toFixed(digits),
        val: e.valLoss.toFixed(digits),
        best: best.toFixed(digits),
        bestEpoch,
      });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
