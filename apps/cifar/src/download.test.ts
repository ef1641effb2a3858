import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { c as tarCreate } from 'tar';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadCifar } from './dataset.js';
import { downloadCifar } from './download.js';
import { makeFixtureSet, writeBinaryDir } from './test-utils/fixture.js';

// A small archive with the official layout (cifar-10-batches-bin/, 20 records per batch), built here.
const RECORDS = 20;
const train = makeFixtureSet(5 * RECORDS, 1);
const test = makeFixtureSet(RECORDS, 2);
let archive: Buffer;
let md5 = '';
let broken: Buffer; // a well-formed .tar.gz that lacks test_batch.bin

let server: Server;
let base = '';
let cutNext = false;
const ranges: string[] = [];

async function makeArchive(withTest: boolean): Promise<Buffer> {
  const src = mkdtempSync(join(tmpdir(), 'cifar-src-'));
  try {
    const bin = writeBinaryDir(src, train, test);
    if (!withTest) rmSync(join(bin, 'test_batch.bin'));
    const file = join(src, 'a.tar.gz');
    await tarCreate({ gzip: true, file, cwd: src, portable: true }, ['cifar-10-batches-bin']);
    return readFileSync(file);
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  archive = await makeArchive(true);
  broken = await makeArchive(false);
  md5 = createHash('md5').update(archive).digest('hex');
  server = createServer((req, res) => {
    const body = req.url === '/cifar.tar.gz' ? archive : req.url === '/broken.tar.gz' ? broken : null;
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const range = req.headers.range;
    ranges.push(range ?? '');
    if (range) {
      const start = Number(/bytes=(\d+)-/.exec(range)![1]);
      if (start >= body.length) {
        res.writeHead(416).end();
        return;
      }
      res.writeHead(206, { 'content-length': body.length - start });
      res.end(body.subarray(start));
      return;
    }
    if (cutNext) {
      cutNext = false;
      res.writeHead(200, { 'content-length': body.length });
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => res.destroy(), 100));
      return;
    }
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('download (against a server on 127.0.0.1 with a fixture archive)', () => {
  it('resumes an interrupted download, verifies the MD5, extracts, and the batches load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cifar-dl-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    cutNext = true;
    const opts = { url: `${base}/cifar.tar.gz`, md5, recordsPerBatch: RECORDS };
    await expect(downloadCifar(dir, opts)).rejects.toThrow();
    expect(existsSync(join(dir, 'cifar-10-binary.tar.gz'))).toBe(false); // nothing half-written in place
    expect(existsSync(join(dir, 'cifar-10-batches-bin'))).toBe(false);
    const partial = readFileSync(join(dir, 'cifar-10-binary.tar.gz.part')).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(archive.length);
    ranges.length = 0;
    const logs: string[] = [];
    const target = await downloadCifar(dir, { ...opts, log: (m) => logs.push(m) });
    expect(ranges).toEqual([`bytes=${partial}-`]);
    expect(readFileSync(join(dir, 'cifar-10-binary.tar.gz')).equals(archive)).toBe(true);
    expect(target).toBe(join(dir, 'cifar-10-batches-bin'));
    const got = loadCifar(dir);
    expect(got.format).toBe('binary');
    expect(got.train.count).toBe(5 * RECORDS);
    expect(Buffer.from(got.test.images).equals(Buffer.from(test.images))).toBe(true);
    // No temporary extraction folder is left behind.
    expect(readdirSync(dir).sort()).toEqual(['cifar-10-batches-bin', 'cifar-10-binary.tar.gz']);
    // A second run finds the verified archive and the extracted files and fetches nothing.
    ranges.length = 0;
    const again: string[] = [];
    await downloadCifar(dir, { ...opts, log: (m) => again.push(m) });
    expect(ranges).toEqual([]);
    expect(again.join('\n')).toMatch(/cached[\s\S]*already extracted/);
  });

  it('an archive without the six batches is rejected and leaves no partial extraction', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cifar-dl-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const bmd5 = createHash('md5').update(broken).digest('hex');
    await expect(
      downloadCifar(dir, { url: `${base}/broken.tar.gz`, md5: bmd5, recordsPerBatch: RECORDS }),
    ).rejects.toThrow(/no cifar-10-batches-bin\/test_batch.bin/);
    expect(readdirSync(dir)).toEqual(['cifar-10-binary.tar.gz']);
  });
});
