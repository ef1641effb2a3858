import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as data from './index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Files reachable from `entry` through relative imports. */
function reachable(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const src = readFileSync(join(here, entry), 'utf8');
  for (const m of src.matchAll(/from '(\.\/[^']+)\.js'/g)) reachable(`${m[1]!.slice(2)}.ts`, seen);
  return seen;
}

describe('@tsdl/data entry', () => {
  it('exports the public API named in DESIGN.md', () => {
    for (const name of [
      'Dataset',
      'TensorDataset',
      'DataLoader',
      'randomSplit',
      'MinMaxScaler',
      'StandardScaler',
      'slidingWindows',
      'readIdx',
      'readCifarBinary',
      'readCsv',
      'readRatings',
    ]) {
      expect(data).toHaveProperty(name);
    }
  });
  it('never imports node built-ins or danfojs from the main entry (it must run in browsers)', () => {
    const files = reachable('index.ts');
    expect(files.has('read-idx.ts')).toBe(true);
    for (const f of files) {
      const src = readFileSync(join(here, f), 'utf8');
      expect(src, f).not.toMatch(/from '(node:[^']+|fs|path|zlib|danfojs)'/);
    }
  });
});
