import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Op files and variable.ts import each other; loading an op file before the package entry must work.
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

describe.skipIf(!existsSync(`${dist}index.js`))('module load order', () => {
  it('an op file can be imported before the package entry', () => {
    const code = `await import(${JSON.stringify(`${dist}ops/arithmetic.js`)});
      const a = await import(${JSON.stringify(`${dist}index.js`)});
      console.log(a.registeredOps().has('add') && a.registeredOps().has('matmul'));`;
    expect(
      execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }).trim(),
    ).toBe('true');
  });
});
