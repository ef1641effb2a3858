import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile, downloadMnist } from './download.js';

const payload = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 31) % 251));
const md5 = createHash('md5').update(payload).digest('hex');

// A local server with Range support; `cutNext` makes the next full response stop half-way.
let server: Server;
let base = '';
let cutNext = false;
const ranges: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (!req.url?.endsWith('/file.bin')) {
      res.writeHead(404).end();
      return;
    }
    const range = req.headers.range;
    ranges.push(range ?? '');
    if (range) {
      const start = Number(/bytes=(\d+)-/.exec(range)![1]);
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
  const addr = server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('downloadFile (against a server on 127.0.0.1)', () => {
  it('resumes an interrupted download with a Range request and verifies it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dl-'));
    const dest = join(dir, 'file.bin');
    cutNext = true;
    await expect(downloadFile(`${base}/file.bin`, dest, { algorithm: 'md5', hex: md5 })).rejects.toThrow();
    expect(existsSync(dest)).toBe(false); // nothing half-written in place
    const partial = readFileSync(`${dest}.part`).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(payload.length);
    ranges.length = 0;
    expect(await downloadFile(`${base}/file.bin`, dest, { algorithm: 'md5', hex: md5 })).toBe('downloaded');
    expect(ranges).toEqual([`bytes=${partial}-`]);
    expect(readFileSync(dest).equals(payload)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(await downloadFile(`${base}/file.bin`, dest, { algorithm: 'md5', hex: md5 })).toBe('cached');
  });

  it('rejects a checksum mismatch and keeps an existing good file untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dl-'));
    const dest = join(dir, 'file.bin');
    writeFileSync(dest, 'old contents');
    await expect(
      downloadFile(`${base}/file.bin`, dest, { algorithm: 'md5', hex: '0'.repeat(32) }),
    ).rejects.toThrow(/md5 .* expected 0{32}/);
    expect(readFileSync(dest, 'utf8')).toBe('old contents');
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('downloadMnist fetches every listed file from the mirror', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dl-'));
    const logs: string[] = [];
    await downloadMnist(dir, { baseUrl: base, files: { 'file.bin': md5 }, log: (m) => logs.push(m) });
    expect(readFileSync(join(dir, 'file.bin')).equals(payload)).toBe(true);
    expect(logs).toContain('file.bin: downloaded');
    await expect(downloadMnist(dir, { baseUrl: base, files: { 'missing.bin': md5 } })).rejects.toThrow(
      /HTTP 404/,
    );
  });
});
