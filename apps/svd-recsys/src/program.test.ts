import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createProgram } from './program.js';

const dir = mkdtempSync(join(tmpdir(), 'svd-recsys-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in-process; returns what it logged, or throws its error (argument errors as CommanderError). */
async function run(...args: string[]): Promise<{ out: string; err: string }> {
  let err = '';
  const log: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void log.push(a.join(' ')));
  try {
    await createProgram({ exitOverride: true, writeErr: (s) => (err += s) }).parseAsync([
      'node',
      'svd-recsys',
      ...args,
    ]);
  } catch (e) {
    throw new Error(`${(e as Error).message} ${err}`);
  } finally {
    spy.mockRestore();
  }
  return { out: log.join('\n'), err };
}

afterEach(() => vi.restoreAllMocks());

describe('svd-recsys CLI', () => {
  it('rejects bad arguments naming the option and the value', async () => {
    await expect(run('evaluate', '--model', 'knn')).rejects.toThrow(
      /--model must be one of baseline, svd, mf, received 'knn'/,
    );
    await expect(run('evaluate', '--model', 'svd', '--k', 'ten')).rejects.toThrow(
      /--k must be an integer ≥ 1, received 'ten'/,
    );
    await expect(run('evaluate', '--folds', '1')).rejects.toThrow(
      /--folds must be an integer ≥ 2, received '1'/,
    );
    await expect(run('evaluate', '--ratings', join(dir, 'missing.csv'))).rejects.toThrow(
      /--ratings: no such file/,
    );
    await expect(run('export', '--model', 'baseline')).rejects.toThrow(/--model must be one of svd, mf/);
    const f = join(dir, 'r.csv');
    writeFileSync(f, 'userId,movieId,rating,timestamp\n1,1,4,1\n');
    await expect(run('evaluate', '--train', f)).rejects.toThrow(/--train and --test go together/);
    await expect(run('recommend', '--model', 'baseline')).rejects.toThrow(/required option '--user <id>'/);
  });

  it('reports the line of a bad rating', async () => {
    const f = join(dir, 'bad.csv');
    writeFileSync(f, 'userId,movieId,rating,timestamp\n1,1,4,1\n1,2,4,1\n2,1,four,1\n');
    await expect(
      run('evaluate', '--model', 'baseline', '--ratings', f, '--out', join(dir, 'bad')),
    ).rejects.toThrow(/line 4: rating "four" is not a number/);
  });

  it('demo prints the 5×4 example', async () => {
    const { out } = await run('demo');
    expect(out).toContain('rank-2 reconstruction');
    expect(out).toMatch(/5\.1341 +1\.9061 +-0\.7217 +1\.5611/);
  });

  it('evaluate on a given train/test split writes metrics.json with the top-level metrics', async () => {
    const lines = (rows: number[][]) =>
      `userId,movieId,rating,timestamp\n${rows.map((r) => `${r.join(',')},1`).join('\n')}\n`;
    const rows: number[][] = [];
    for (let u = 1; u <= 12; u++)
      for (let i = 1; i <= 15; i++) if ((u * 7 + i * 3) % 4 !== 0) rows.push([u, i, 1 + ((u + i) % 5)]);
    const train = join(dir, 'u1.base');
    const test = join(dir, 'u1.test');
    writeFileSync(train, lines(rows.filter((_, k) => k % 5 !== 0)));
    writeFileSync(test, lines([...rows.filter((_, k) => k % 5 === 0), [99, 1, 4]]));
    const out = join(dir, 'eval');
    await run('evaluate', '--model', 'svd', '--k', '3', '--train', train, '--test', test, '--out', out);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    for (const key of ['rmse', 'mae', 'precisionAt10', 'recallAt10', 'ndcgAt10'])
      expect(Number.isFinite(m[key])).toBe(true);
    expect(m.folds).toHaveLength(1);
    expect(m.coldStart.users).toBe(1);
    expect(m.timing.fitSecondsMean).toBeGreaterThanOrEqual(0);
  });

  it('recommend lists --k unseen movies with titles; similar ranks by cosine of item factors', async () => {
    const sub = join(dir, 'small');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sub, { recursive: true });
    const rows: string[] = [];
    for (let u = 1; u <= 10; u++)
      for (let i = 1; i <= 8; i++)
        if (u === 1 ? i <= 3 : (u + i) % 3 !== 0) rows.push(`${u},${i},${1 + ((u * i) % 5)},1`);
    writeFileSync(join(sub, 'ratings.csv'), `userId,movieId,rating,timestamp\n${rows.join('\n')}\n`);
    writeFileSync(
      join(sub, 'movies.csv'),
      `movieId,title,genres\n${Array.from({ length: 8 }, (_, i) => `${i + 1},"Film ${i + 1}, The (2000)",Drama`).join('\n')}\n`,
    );
    const rec = await run(
      'recommend',
      '--model',
      'baseline',
      '--ratings',
      join(sub, 'ratings.csv'),
      '--user',
      '1',
      '--k',
      '3',
    );
    const lines = rec.out.split('\n').filter((l) => /^ +\d+\. /.test(l));
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(/\d\.\d\d {2}Film [4-8], The \(2000\)$/);
    const sim = await run(
      'similar',
      '--model',
      'svd',
      '--factors',
      '2',
      '--ratings',
      join(sub, 'ratings.csv'),
      '--movie',
      'Film 2,',
      '--k',
      '2',
    );
    expect(sim.out).toContain('most similar to Film 2, The (2000)');
    await expect(
      run('recommend', '--model', 'baseline', '--ratings', join(sub, 'ratings.csv'), '--user', '77'),
    ).rejects.toThrow(/no ratings for user 77/);
  });
});
