import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { epochReporter, type StepProgress, stepReporter } from './progress.js';

const step = (epoch: number, s: number): StepProgress => ({
  epoch,
  epochs: 2,
  step: s,
  stepsPerEpoch: 5,
  loss: 0.123456,
  samplesPerSec: 99.6,
});

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stream, text: () => chunks.join('') };
}

describe('stepReporter', () => {
  it('logs every `every` steps and at the end of each epoch when not a TTY, naming the unit', () => {
    const lines: string[] = [];
    const r = stepReporter({ tty: false, every: 2, unit: 'ratings', log: (l) => lines.push(l) });
    for (const e of [1, 2]) for (let s = 1; s <= 5; s++) r.onStep(step(e, s));
    r.stop();
    expect(lines.map((l) => l.split(' loss')[0])).toEqual([
      'epoch 1/2 step 2/5',
      'epoch 1/2 step 4/5',
      'epoch 1/2 step 5/5',
      'epoch 2/2 step 2/5',
      'epoch 2/2 step 4/5',
      'epoch 2/2 step 5/5',
    ]);
    expect(lines[0]).toMatch(/^epoch 1\/2 step 2\/5 loss 0\.1235 100 ratings\/s ETA \d+s$/);
    expect(lines.at(-1)).toMatch(/ETA 0s$/);
    const samples: string[] = [];
    stepReporter({ tty: false, log: (l) => samples.push(l) }).onStep(step(1, 5));
    expect(samples[0]).toContain(' samples/s ');
  });

  it('draws a bar per epoch on a TTY', () => {
    const out = sink();
    const r = stepReporter({ tty: true, unit: 'ratings', stream: out.stream });
    for (const e of [1, 2]) for (let s = 1; s <= 5; s++) r.onStep(step(e, s));
    r.stop();
    expect(out.text()).toContain('epoch 1/2');
    expect(out.text()).toContain('epoch 2/2');
    expect(out.text()).toContain('step 5/5 | loss 0.1235 | 100 ratings/s');
  });
});

describe('epochReporter', () => {
  const epoch = (n: number, valLoss: number, best: boolean) => ({
    epoch: n,
    epochs: 3,
    trainLoss: 0.5 / n,
    valLoss,
    best,
    seconds: 1.234,
  });

  it('logs one line per epoch with the metric name, marking the best, when not a TTY', () => {
    const lines: string[] = [];
    const r = epochReporter({ tty: false, metric: 'MSE', digits: 5, log: (l) => lines.push(l) });
    r.onEpoch(epoch(1, 0.4, true));
    r.onEpoch(epoch(2, 0.45, false));
    r.stop();
    expect(lines).toEqual([
      'epoch 1/3: train MSE 0.50000, validation MSE 0.40000 (best), 1.23s',
      'epoch 2/3: train MSE 0.25000, validation MSE 0.45000, 1.23s',
    ]);
  });

  it('draws one bar over the epochs with the best validation loss so far on a TTY', () => {
    const out = sink();
    const r = epochReporter({ tty: true, stream: out.stream, earlyStopping: true });
    r.onEpoch(epoch(1, 0.4, true));
    r.onEpoch(epoch(2, 0.45, false));
    r.stop();
    expect(out.text()).toContain('2/3 | train loss 0.2500 | val loss 0.4500 (best 0.4000 @ 1)');
    expect(out.text()).toContain('(early stopping may end sooner)');
  });
});
