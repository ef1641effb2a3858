import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const built = existsSync(cli);
if (!built) {
  const msg = 'gold-lstm CLI tests need the build: run `pnpm --filter gold-lstm build` first';
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`skipped: ${msg}`);
}
const run = (...args: string[]) =>
  execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe.skipIf(!built)('gold-lstm CLI (built dist/cli.js)', () => {
  const out = mkdtempSync(join(tmpdir(), 'gold-lstm-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('train writes metrics.json, pictures, weights and ONNX; export, evaluate and predict read them back', () => {
    const log = run('train', '--epochs', '3', '--horizon', '6', '--out', out, '--max-mae-ratio', '100');
    expect(log).toMatch(/epoch 1\/3: train MSE/); // plain progress lines when not a TTY
    for (const f of [
      'metrics.json',
      'run.json',
      'model.safetensors',
      'model.onnx',
      'test.svg',
      'rolling.svg',
      'loss.svg',
    ])
      expect(existsSync(join(out, f))).toBe(true);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    for (const k of ['model', 'persistence', 'linearAr']) {
      expect(Object.keys(m.test[k]).sort()).toEqual(['mae', 'mape', 'rmse']);
      expect(Object.keys(m.rolling[k]).sort()).toEqual(['mae', 'mape', 'rmse']);
      expect(m.test[k].mape).toBeLessThan(1); // a fraction
    }
    expect(m.rolling.horizon).toBe(6);
    expect(m.onnx.maxRelDiff).toBeLessThan(1e-4);
    expect(readFileSync(join(out, 'test.svg'), 'utf8')).toMatch(/^<svg/);

    const ev = run('evaluate', '--run', out);
    expect(ev).toContain(`| ${m.test.model.mae.toFixed(2)} |`);

    run('export', '--run', out, '--out', join(out, 'again.onnx'));
    expect(readFileSync(join(out, 'again.onnx')).equals(readFileSync(join(out, 'model.onnx')))).toBe(true);

    const last = '4500,4600,4700,4721,4587';
    const a = run('predict', '--run', out, '--last', last).match(/next value: ([\d.]+)/)?.[1];
    const b = run('predict', '--run', out, '--last', last, '--onnx').match(/next value: ([\d.]+)/)?.[1];
    expect(Number(a)).toBeGreaterThan(0);
    expect(Math.abs(Number(a) - Number(b)) / Number(a)).toBeLessThan(1e-4);
    expect(() => run('predict', '--run', out, '--last', '1,2,3')).toThrow(/exactly 5 values/);
  }, 60_000);

  it('--help lists the commands', () => {
    const help = run('--help');
    for (const c of ['train', 'evaluate', 'export', 'predict']) expect(help).toContain(c);
  });
});
