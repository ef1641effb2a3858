// Type-checks every ```ts block of the READMEs (root, packages/*, apps/*) and CONTRIBUTING.md against the built
// packages, so the docs fail CI when the API moves under them. A block whose info string says
// `no-check` (```ts no-check) is skipped: use it for fragments that are not meant to compile.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
// Under node_modules: ignored by git and Biome, and @tsdl/* still resolve from examples/node_modules.
const outDir = fileURLToPath(new URL('./node_modules/.cache/readme-blocks/', import.meta.url));

interface Block {
  readme: string; // relative to the repo root
  line: number; // 1-based line of the opening fence
  code: string;
  file: string; // the .ts file it is written to
}

function readmes(): string[] {
  const found = [join(root, 'README.md'), join(root, 'CONTRIBUTING.md')];
  for (const group of ['packages', 'apps']) {
    for (const d of readdirSync(join(root, group)).sort()) {
      const f = join(root, group, d, 'README.md');
      if (existsSync(f)) found.push(f);
    }
  }
  return found;
}

function extract(path: string): Block[] {
  const readme = relative(root, path);
  const lines = readFileSync(path, 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i]!.match(/^(\s*)(`{3,}|~{3,})\s*(ts|typescript|tsx)\b(.*)$/);
    if (!open) continue;
    const [, indent, fence, , info] = open;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence!); i++)
      body.push(lines[i]!.slice(indent!.length));
    if (/\bno-?check\b|\bignore\b/.test(info!)) continue;
    const name = `${readme.replace(/\/?README\.md$/, '').replace(/[^\w-]+/g, '_') || 'root'}-L${start + 1}.ts`;
    // `export {}` makes every block a module (own scope, top-level await allowed).
    blocks.push({
      readme,
      line: start + 1,
      code: `${body.join('\n')}\nexport {};\n`,
      file: join(outDir, name),
    });
  }
  return blocks;
}

const blocks = readmes().flatMap(extract);
const diagnostics = new Map<string, string[]>();

beforeAll(async () => {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const b of blocks) writeFileSync(b.file, b.code);
  // Inside node_modules the package scope restarts: mark the blocks as ESM again (top-level await).
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  // Optional peers (danfojs, onnxruntime-*) are installed only in the package that adapts them;
  // README blocks import them as users would, so point tsc at those copies' type entry.
  const peers: Record<string, string[]> = {};
  for (const [name, pkg] of [
    ['danfojs', 'data'],
    ['onnxruntime-node', 'onnx-export'],
    ['onnxruntime-web', 'onnx-export'],
  ]) {
    const dir = join(root, 'packages', pkg!, 'node_modules', name!);
    if (!existsSync(join(dir, 'package.json'))) continue;
    const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const types = json.exports?.['.']?.types ?? json.types ?? json.typings ?? 'index.d.ts';
    peers[name!] = [relative(outDir, join(dir, types))];
  }
  writeFileSync(
    join(outDir, 'tsconfig.json'),
    JSON.stringify(
      {
        extends: relative(outDir, join(root, 'tsconfig.base.json')),
        compilerOptions: {
          noEmit: true,
          declaration: false,
          declarationMap: false,
          sourceMap: false,
          paths: peers,
        },
        include: ['*.ts'],
      },
      null,
      2,
    ),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const out = await promisify(execFile)(process.execPath, [tsc, '-p', outDir, '--pretty', 'false'], {
    cwd: outDir,
  }).then(
    (r) => r.stdout,
    (e: { stdout?: string; stderr?: string }) => `${e.stdout ?? ''}${e.stderr ?? ''}`,
  );
  // "file.ts(line,col): error TSxxxx: message" — continuation lines belong to the previous one.
  let current: string[] | undefined;
  for (const line of out.split('\n')) {
    const m = line.match(/^(.+?\.ts)\((\d+),(\d+)\): (.*)$/);
    if (m) {
      const file = join(outDir, m[1]!.replace(/^.*[\\/]/, ''));
      current = diagnostics.get(file) ?? [];
      diagnostics.set(file, current);
      current.push(`line ${m[2]}: ${m[4]}`);
    } else if (line.trim() && current) current.push(line);
    else if (line.trim()) diagnostics.set('(tsc)', [...(diagnostics.get('(tsc)') ?? []), line]);
  }
}, 120_000);

describe('README code blocks type-check', () => {
  it('finds the ```ts blocks', () => {
    expect(blocks.length).toBeGreaterThan(3);
  });

  it('tsc reports nothing outside the blocks', () => {
    expect(diagnostics.get('(tsc)') ?? []).toEqual([]);
  });

  it.each(blocks.map((b) => [`${b.readme}:${b.line}`, b] as const))('%s', (_, b) => {
    const errors = diagnostics.get(b.file) ?? [];
    // Line numbers in the messages are relative to the block; add the fence line to find them in the README.
    expect(
      errors,
      `${b.readme} block at line ${b.line} (written to ${relative(root, b.file)}):\n${errors.join('\n')}`,
    ).toEqual([]);
  });
});
