import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile } from './download.js';

const payload = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 31) % 251));
const md5 = createHash('md5').update(payload).digest('hex');
const sha256 = createHash('sha256').update(payload).digest('hex');
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tsdl-dl-'));
  dirs.push(d);
  return d;
};

// A local server with Range support (416 past the end); `cutNext` makes the next full response stop half-way.
let server: Server;
let base = '';
let cutNext = false;
const ranges: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url !== '/file.bin') {
      res.writeHead(404).end();
      return;
    }
    const range = req.headers.range;
    ranges.push(range ?? '');
    if (range) {
      const start = Number(/bytes=(\d+)-/.exec(range)![1]);
      if (start >= payload.length) {
        res.writeHead(416).end();
        return;
      }
      res.writeHead(206, { 'content-length': payload.length - start });
      res.end(payload.subarray(start));
      return;
    }
    if (cutNext) {
      cutNext = false;
      res.writeHead(200, { 'content-length': payload.length });
      res.write(payload.subarray(0, 20_000), () => setTimeout(() => res.destroy(), 100));
      return;
    }
    res.writeHead(200, { 'content-length': payload.length }).end(payload);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('downloadFile (against a server on 127.0.0.1)', () => {
  it('resumes an interrupted download with a Range request, reports bytes, and verifies it', async () => {
    const dest = join(tempDir(), 'file.bin');
    cutNext = true;
    await expect(downloadFile(`${base}/file.bin`, dest, { algorithm: 'md5', hex: md5 })).rejects.toThrow();
    expect(existsSync(dest)).toBe(false); // nothing half-written in place
    const partial = readFileSync(`${dest}.part`).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(payload.length);
    ranges.length = 0;
    const logs: string[] = [];
    const bytes: [number, number | null][] = [];
    const state = await downloadFile(
      `${base}/file.bin`,
      dest,
      { algorithm: 'md5', hex: md5 },
      { log: (m) => logs.push(m), onBytes: (got, total) => bytes.push([got, total]) },
    );
    expect(state).toBe('downloaded');
    expect(ranges).toEqual([`bytes=${partial}-`]);
    expect(logs).toEqual([`resuming ${base}/file.bin at byte ${partial}`]);
    // Progress counts from the resumed offset up to the whole file, against the whole size.
    expect(bytes[0]![0]).toBeGreaterThan(partial);
    expect(bytes.at(-1)).toEqual([payload.length, payload.length]);
    expect(readFileSync(dest).equals(payload)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
    ranges.length = 0;
    expect(await downloadFile(`${base}/file.bin`, dest, { algorithm: 'md5', hex: md5 })).toBe('cached');
    expect(ranges).toEqual([]); // a verified file is not fetched again
  });

  it('finishes a complete part file the server answers 416 for, and checks sha256', async () => {
    const dest = join(tempDir(), 'file.bin');
    writeFileSync(`${dest}.part`, payload);
    ranges.length = 0;
    expect(await downloadFile(`${base}/file.bin`, dest, { algorithm: 'sha256', hex: sha256 })).toBe(
      'downloaded',
    );
    expect(ranges).toEqual([`bytes=${payload.length}-`]);
    expect(readFileSync(dest).equals(payload)).toBe(true);
  });

  it('rejects a checksum mismatch and keeps an existing file untouched', async () => {
    const dest = join(tempDir(), 'file.bin');
    writeFileSync(dest, 'old contents');
    await expect(
      downloadFile(`${base}/file.bin`, dest, { algorithm: 'md5', hex: '0'.repeat(32) }),
    ).rejects.toThrow(/md5 .* expected 0{32}; the partial file was removed/);
    expect(readFileSync(dest, 'utf8')).toBe('old contents');
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('fails on an HTTP error status without creating files', async () => {
    const dir = tempDir();
    const dest = join(dir, 'missing.bin');
    await expect(downloadFile(`${base}/missing.bin`, dest, { algorithm: 'md5', hex: md5 })).rejects.toThrow(
      `download: ${base}/missing.bin answered HTTP 404`,
    );
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });
});
