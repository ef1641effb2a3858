import cliProgress from 'cli-progress';
import type { EpochInfo } from './train.js';

/** A progress bar over epochs on a TTY; one plain log line per epoch otherwise (CI, pipes). */
export function epochReporter(opts: { tty?: boolean; log?: (line: string) => void } = {}): {
  onEpoch: (e: EpochInfo) => void;
  stop: () => void;
} {
  const tty = opts.tty ?? Boolean(process.stderr.isTTY);
  const log = opts.log ?? console.log;
  if (!tty) {
    return {
      onEpoch: (e) =>
        log(
          `epoch ${e.epoch}/${e.epochs}: train MSE ${e.trainLoss.toFixed(5)}, validation MSE ${e.valLoss.toFixed(5)}${e.best ? ' (best)' : ''}, ${e.seconds.toFixed(2)}s`,
        ),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format:
        'epoch [{bar}] {value}/{total} | train MSE {train} | val MSE {val} (best {best} @ {bestEpoch}) | ETA {eta_formatted} (early stopping may end sooner)',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
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
        train: e.trainLoss.toFixed(5),
        val: e.valLoss.toFixed(5),
        best: best.toFixed(5),
        bestEpoch,
      });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
