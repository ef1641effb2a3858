import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { downloadMnist } from './download.js';

const payload = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 31) % 251));
const md5 = createHash('md5').update(payload).digest('hex');

// A local mirror; downloadFile itself (resume, checksums) is tested in @tsdl/data.
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (!req.url?.endsWith('/file.bin')) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': payload.length }).end(payload);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('downloadMnist (against a server on 127.0.0.1)', () => {
  it('downloadMnist fetches every listed file from the mirror', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dl-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const logs: string[] = [];
    await downloadMnist(dir, { baseUrl: base, files: { 'file.bin': md5 }, log: (m) => logs.push(m) });
    expect(readFileSync(join(dir, 'file.bin')).equals(payload)).toBe(true);
    expect(logs).toContain('file.bin: downloaded');
    await expect(downloadMnist(dir, { baseUrl: base, files: { 'missing.bin': md5 } })).rejects.toThrow(
      /HTTP 404/,
    );
  });
});
