import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, indexSelect, randint, randn, randperm, slice } from '@tsdl/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { ReLU } from './activations.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { CrossEntropyLoss } from './cross-entropy-loss.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { Adam } from './optim/adam.js';
import { SGD } from './optim/sgd.js';
import { StepLR } from './optim/step-lr.js';
import { decodeSafetensors } from './safetensors.js';
import { Sequential } from './sequential.js';

const N = 48;
const BATCH = 16;
const X = randn([N, 6], { generator: new Generator(100) });
const Y = randint(0, 3, [N], { generator: new Generator(101) });

/** Everything a run owns; `seed` changes the initial weights and RNG streams (a resume must overwrite them). */
function setup(seed: number) {
  const init = new Generator(seed);
  const dropoutGen = new Generator(seed + 1);
  const dataGen = new Generator(seed + 2);
  const model = new Sequential(
    new Linear(6, 16, { generator: init }),
    new ReLU(),
    new Dropout(0.2, { generator: dropoutGen }),
    new Linear(16, 3, { generator: init }),
  );
  const optimizer = new Adam(model.parameters(), { lr: 0.01 });
  const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
  return { model, optimizer, scheduler, dropoutGen, dataGen };
}

/** One epoch of shuffled mini-batches. */
function epoch(run: ReturnType<typeof setup>): void {
  const lossFn = new CrossEntropyLoss();
  const perm = randperm(N, { generator: run.dataGen });
  for (let start = 0; start < N; start += BATCH) {
    const idx = slice(perm, 0, start, start + BATCH);
    run.optimizer.zeroGrad();
    lossFn.forward(run.model.forward(indexSelect(X, 0, idx)), indexSelect(Y, 0, idx)).backward();
    run.optimizer.step();
  }
  run.scheduler.step();
}

const paramsOf = (run: ReturnType<typeof setup>): Float32Array[] =>
  run.model.parameters().map((p) => p.data.toTypedArray() as Float32Array);

// Folders under the OS temp dir, removed after each test.
const dirs: string[] = [];
const tempDir = (prefix: string): string => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('checkpoints', () => {
  it('resume bit for bit: 2 epochs + checkpoint + 1 epoch in fresh objects == 3 uninterrupted epochs', async () => {
    const straight = setup(1);
    for (let e = 0; e < 3; e++) epoch(straight);

    const first = setup(1);
    epoch(first);
    epoch(first);
    const path = join(tempDir('tsdl-ckpt-'), 'ckpt.safetensors');
    await saveCheckpoint(path, {
      model: first.model,
      optimizer: first.optimizer,
      generators: { dropout: first.dropoutGen, data: first.dataGen },
      schedulers: { lr: first.scheduler },
      epoch: 2,
      step: 6,
      extra: { bestLoss: 0.5 },
    });

    const resumed = setup(999); // different init and RNG streams: all must come from the checkpoint
    const info = await loadCheckpoint(path, {
      model: resumed.model,
      optimizer: resumed.optimizer,
      generators: { dropout: resumed.dropoutGen, data: resumed.dataGen },
      schedulers: { lr: resumed.scheduler },
    });
    expect(info).toEqual({ epoch: 2, step: 6, extra: { bestLoss: 0.5 } });
    expect(resumed.optimizer.lr).toBe(first.optimizer.lr);
    epoch(resumed);

    const a = paramsOf(straight);
    const b = paramsOf(resumed);
    expect(b.length).toBe(a.length);
    for (const [i, w] of a.entries()) expect(b[i]).toEqual(w); // exact Float32Array equality
    expect(resumed.optimizer.stateDict().state[0]!.step).toBe(9);
    expect(resumed.dataGen.getState()).toEqual(straight.dataGen.getState());
  });

  it('stores model keys as in PyTorch and scalars in metadata; rejects mismatches before changing anything', async () => {
    const run = setup(3);
    epoch(run);
    const bytes = await saveCheckpoint(undefined, {
      model: run.model,
      optimizer: run.optimizer,
      generator: run.dataGen,
    });
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(Object.keys(tensors)).toContain('model.0.weight');
    expect(Object.keys(tensors)).toContain('optimizer.state.0.exp_avg');
    expect(JSON.parse(metadata['tsdl.checkpoint']!).optimizer.scalars['0']).toEqual({ step: 3 });

    const other = setup(4);
    const before = paramsOf(other);
    await expect(
      loadCheckpoint(bytes, { model: other.model, optimizer: new SGD(other.model.parameters(), { lr: 1 }) }),
    ).rejects.toThrow(/checkpoint optimizer is Adam, received SGD/);
    const wrong = new Sequential(new Linear(6, 5), new ReLU(), new Linear(5, 3));
    await expect(loadCheckpoint(bytes, { model: wrong })).rejects.toThrow(
      /'0.weight' has shape \[16,6\], the model expects \[5,6\]/,
    );
    await expect(
      loadCheckpoint(bytes, { model: other.model, generators: { nope: new Generator(0) } }),
    ).rejects.toThrow(/no state for generator 'nope' \(saved: default\)/);
    for (const [i, w] of paramsOf(other).entries()) expect(w).toEqual(before[i]);
  });

  it('writes atomically and keeps ReduceLROnPlateau-style Infinity through JSON', async () => {
    const run = setup(5);
    const path = join(tempDir('tsdl-ckpt-'), 'c.safetensors');
    const plateau = { s: { best: Infinity } as Record<string, unknown> };
    const sched = {
      stateDict: () => plateau.s,
      loadStateDict: (sd: Record<string, unknown>) => (plateau.s = sd),
    };
    await saveCheckpoint(path, { model: run.model, schedulers: { p: sched } });
    const saved = readFileSync(path);
    plateau.s = {};
    await loadCheckpoint(path, { model: run.model, schedulers: { p: sched } });
    expect(plateau.s).toEqual({ best: Infinity });
    await expect(saveCheckpoint(path, { model: run.model, extra: { x: 1n } })).rejects.toThrow();
    expect(readFileSync(path)).toEqual(saved);
  });
});
