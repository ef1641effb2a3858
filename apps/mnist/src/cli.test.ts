// The CLI end to end on the bundled digits: train (1 epoch) → evaluate → export → predict a PNG.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBundledDigits } from './data.js';
import { PIXELS, splitDigits } from './digits.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const run = (...args: string[]) =>
  execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

if (!existsSync(cli)) {
  if (process.env.CI === 'true') throw new Error(`${cli} is missing: run pnpm --filter mnist build first`);
  console.warn(`SKIP mnist CLI tests: ${cli} is not built (pnpm --filter mnist build)`);
}

describe.skipIf(!existsSync(cli))('mnist CLI', () => {
  const out = mkdtempSync(join(tmpdir(), 'mnist-cli-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('train writes metrics, pictures, weights, checkpoint and an ONNX file that agrees with tsdl', () => {
    const log = run('train', '--epochs', '1', '--out', out);
    expect(log).toMatch(/held-out accuracy \d+\.\d+% on 2000 images/);
    for (const f of [
      'metrics.json',
      'loss.svg',
      'accuracy.svg',
      'confusion.svg',
      'model.safetensors',
      'checkpoint.safetensors',
      'model.onnx',
    ]) {
      expect(existsSync(join(out, f))).toBe(true);
    }
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(m.accuracy).toBeGreaterThan(0.85);
    expect(m.perClass).toHaveLength(10);
    expect(m.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(2000);
    expect(m.onnx.agreement).toBeGreaterThanOrEqual(0.999);
    expect(m.onnx.maxProbDiff).toBeLessThan(1e-5);
    expect(m.samplesPerSec).toBeGreaterThan(0);
    expect(m.threads).toBe(1);
    expect(readFileSync(join(out, 'confusion.svg'), 'utf8')).toContain('<svg');
  }, 120_000);

  it('evaluate reloads the weights and reports the same accuracy and ONNX parity', () => {
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    const log = run('evaluate', '--model', join(out, 'model.safetensors'), '--onnx');
    expect(log).toContain(`accuracy ${(m.accuracy * 100).toFixed(2)}%`);
    expect(log).toMatch(/"agreement": 1/);
  }, 60_000);

  it('predict reads a large inverted RGB PNG of a held-out digit', () => {
    const { test } = splitDigits(loadBundledDigits(), 2000, 1234);
    const idx = test.labels.indexOf(3);
    const png = new PNG({ width: 112, height: 112 });
    for (let y = 0; y < 112; y++) {
      for (let x = 0; x < 112; x++) {
        const v = test.images[idx * PIXELS + Math.floor(y / 4) * 28 + Math.floor(x / 4)]!;
        const o = (y * 112 + x) * 4;
        png.data[o] = png.data[o + 1] = png.data[o + 2] = Math.round(255 * (1 - v)); // dark ink on white paper
        png.data[o + 3] = 255;
      }
    }
    const file = join(out, 'three.png');
    writeFileSync(file, PNG.sync.write(png));
    expect(run('predict', file, '--model', join(out, 'model.safetensors'))).toMatch(/^predicted 3 /);
  }, 60_000);

  it('rejects bad arguments with a message naming them', () => {
    expect(() => run('train', '--epochs', 'many')).toThrow(/epochs must be an integer, received 'many'/);
    expect(() => run('train', '--threads', '0')).toThrow(/--threads/);
    expect(() => run('train', '--data', '/nonexistent', '--out', out)).toThrow(
      /--data: \/nonexistent has neither/,
    );
  });
});
