import cliProgress from 'cli-progress';
import type { StepInfo } from './train.js';

/** A progress bar on a TTY; plain log lines (one per epoch and every `every` steps) otherwise. */
export function stepReporter(opts: { tty?: boolean; every?: number } = {}): {
  onStep: (s: StepInfo) => void;
  stop: () => void;
} {
  const tty = opts.tty ?? Boolean(process.stderr.isTTY);
  if (!tty) {
    const every = opts.every ?? 20;
    const t0 = performance.now();
    return {
      onStep: (s) => {
        if (s.step % every !== 0 && s.step !== s.stepsPerEpoch) return;
        const done = (s.epoch - 1) * s.stepsPerEpoch + s.step;
        const left = s.epochs * s.stepsPerEpoch - done;
        const eta = ((performance.now() - t0) / 1000 / done) * left;
        console.log(
          `epoch ${s.epoch}/${s.epochs} step ${s.step}/${s.stepsPerEpoch} loss ${s.loss.toFixed(4)} ${Math.round(s.samplesPerSec)} samples/s ETA ${eta.toFixed(0)}s`,
        );
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format:
        'epoch {epoch}/{epochs} [{bar}] step {value}/{total} | loss {loss} | {sps} samples/s | ETA {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
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
