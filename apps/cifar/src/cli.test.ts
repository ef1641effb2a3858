// End-to-end: the built CLI (dist/cli.js; run `pnpm --filter cifar build` first) on fixture files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CLASSES, PIXELS } from './dataset.js';
import { makeFixtureSet, writeBinaryDir } from './test-utils/fixture.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/cli.js');
const cli = (args: string[], cwd?: string) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, env: { ...process.env, CI: '' } });

if (!existsSync(CLI)) {
  if (process.env.CI === 'true') throw new Error(`${CLI} is missing: build the app before its tests`);
  console.warn(`SKIP cifar CLI tests: ${CLI} is not built (pnpm --filter cifar build)`);
}

describe.skipIf(!existsSync(CLI))('cifar CLI', () => {
  it('train without data explains how to get it in one screen and exits 2', () => {
    const r = cli(['train', '--data', join(tmpdir(), 'no-such-cifar')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/No CIFAR-10 data in/);
    expect(r.stderr).toMatch(/pnpm cifar download/);
    expect(r.stderr).toMatch(/train\/<class>/);
    expect(r.stderr.split('\n').length).toBeLessThan(25);
    expect(cli(['train', '--model', 'resnet', '--data', '.']).stderr).toMatch(
      /--model must be simple or better, received 'resnet'/,
    );
  });

  it('train → metrics.json, pictures, weights, ONNX; then evaluate, export and predict', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cifar-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const test = makeFixtureSet(100, 2);
    writeBinaryDir(join(dir, 'data'), makeFixtureSet(300, 1), test);
    const out = join(dir, 'run');
    const t = cli([
      'train',
      '--data',
      join(dir, 'data'),
      '--epochs',
      '2',
      '--batch-size',
      '50',
      '--lr',
      '0.02',
      '--out',
      out,
    ]);
    expect(t.stderr).not.toMatch(/error/);
    expect(t.status).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(m.accuracy).toBeGreaterThanOrEqual(0);
    expect(m.accuracy).toBeLessThanOrEqual(1);
    expect(m.secondsPerEpoch).toBeGreaterThan(0);
    expect(m.samplesPerSec).toBeGreaterThan(0);
    expect(m.history).toHaveLength(2);
    expect(m.perClass.map((c: { class: string }) => c.class)).toEqual([...CLASSES]);
    expect(m.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(100);
    const diag = m.confusionMatrix.reduce((s: number, row: number[], i: number) => s + row[i]!, 0);
    expect(diag / 100).toBeCloseTo(m.accuracy, 10);
    expect(m.onnx.agreement).toBeGreaterThanOrEqual(0.999);
    expect(m.normalization.mean).toHaveLength(3);
    for (const f of [
      'loss.svg',
      'accuracy.svg',
      'confusion.svg',
      'model.safetensors',
      'checkpoint.safetensors',
      'model.onnx',
      'progress.json',
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const grid = readFileSync(join(out, 'predictions.svg'), 'utf8');
    expect(grid.match(/<image /g)).toHaveLength(32);

    const e = cli(['evaluate', '--weights', join(out, 'model.safetensors'), '--data', join(dir, 'data')]);
    expect(e.status).toBe(0);
    expect(e.stdout).toContain(`accuracy ${(m.accuracy * 100).toFixed(2)}% on 100 test images`);

    const x = cli(['export', '--weights', join(out, 'model.safetensors'), '--out', join(dir, 'again.onnx')]);
    expect(x.status).toBe(0);
    expect(readFileSync(join(dir, 'again.onnx')).length).toBeGreaterThan(200_000); // ~62k float32 weights

    // predict: a test image upscaled 3× into a 96×96 PNG decodes back to 32×32 and is classified.
    const png = new PNG({ width: 96, height: 96 });
    const img = test.images.subarray(0, PIXELS);
    for (let y = 0; y < 96; y++) {
      for (let xx = 0; xx < 96; xx++) {
        const s = Math.floor(y / 3) * 32 + Math.floor(xx / 3);
        for (let c = 0; c < 3; c++) png.data[(y * 96 + xx) * 4 + c] = img[c * 1024 + s]!;
        png.data[(y * 96 + xx) * 4 + 3] = 255;
      }
    }
    writeFileSync(join(dir, 'img.png'), PNG.sync.write(png));
    const p = cli(['predict', join(dir, 'img.png'), '--weights', join(out, 'model.safetensors')]);
    expect(p.status).toBe(0);
    expect(p.stdout).toMatch(new RegExp(`^predicted (${CLASSES.join('|')}) \\(p = 0\\.\\d{4}\\)`));
    const bad = cli([
      'predict',
      join(dir, 'data', 'cifar-10-batches-bin', 'test_batch.bin'),
      '--weights',
      join(out, 'model.safetensors'),
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/not a PNG or JPEG/);
  }, 120_000);

  it('--threads 2 trains to the same numbers as 1 thread and records the count', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cifar-cli-threads-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeBinaryDir(join(dir, 'data'), makeFixtureSet(200, 3), makeFixtureSet(50, 4));
    const run = (threads: string) => {
      const out = join(dir, `run-${threads}`);
      const args = ['train', '--data', join(dir, 'data'), '--epochs', '1', '--batch-size', '50'];
      const r = cli([...args, '--threads', threads, '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    };
    const one = run('1');
    const two = run('2');
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    // The products are split by whole tiles with the same k order on every thread: bit-identical.
    expect(two.history[0].trainLoss).toBe(one.history[0].trainLoss);
    expect(two.confusionMatrix).toEqual(one.confusionMatrix);
    expect(cli(['train', '--threads', '0', '--data', '.']).stderr).toMatch(/--threads/);
  }, 120_000);
});
