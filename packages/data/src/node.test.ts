import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCifarBinaryFile, readCsvFile, readIdxFile, readRatingsFile } from './node.js';

const dir = mkdtempSync(join(tmpdir(), 'tsdl-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('node file readers', () => {
  it('read files by path with the same results as the byte readers', async () => {
    writeFileSync(join(dir, 'a.csv'), 'x,y\n1,2\n3,4\n');
    expect((await readCsvFile(join(dir, 'a.csv'))).toTensor().toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    writeFileSync(join(dir, 'u.data'), '1\t2\t3\t4\n');
    expect(Array.from((await readRatingsFile(join(dir, 'u.data'))).itemIds)).toEqual([2]);
    const rec = new Uint8Array(3073);
    rec[0] = 7;
    rec[3072] = 200;
    writeFileSync(join(dir, 'batch.bin'), rec);
    const { images, labels } = await readCifarBinaryFile(join(dir, 'batch.bin'));
    expect([labels.item(), images.get(0, 2, 31, 31)]).toEqual([7, 200]);
    writeFileSync(join(dir, 'x.idx'), Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 2, 5, 6));
    expect((await readIdxFile(join(dir, 'x.idx'))).toArray()).toEqual([5, 6]);
    await expect(readIdxFile(join(dir, 'missing.idx'))).rejects.toThrow(/ENOENT/);
  });
});
