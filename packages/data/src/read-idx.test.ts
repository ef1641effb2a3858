import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readIdxFile } from './node.js';
import { readIdx, readIdxSync } from './read-idx.js';

/** Writes an IDX file: magic 0x0000, type code, rank, big-endian dims, then `body`. */
function idx(code: number, dims: number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  const v = new DataView(out.buffer);
  out[2] = code;
  out[3] = dims.length;
  dims.forEach((d, i) => {
    v.setUint32(4 + 4 * i, d, false);
  });
  out.set(body, 4 + 4 * dims.length);
  return out;
}

function bigEndian(n: number, size: number, put: (v: DataView, off: number, i: number) => void): Uint8Array {
  const b = new Uint8Array(n * size);
  const v = new DataView(b.buffer);
  for (let i = 0; i < n; i++) put(v, i * size, i);
  return b;
}

describe('readIdx', () => {
  it('decodes every element type, big-endian, with the header shape', async () => {
    const u = idx(0x08, [2, 3], Uint8Array.of(0, 1, 2, 253, 254, 255));
    const t = readIdxSync(u);
    expect(t.dtype).toBe('int32');
    expect(t.shape).toEqual([2, 3]);
    expect(t.toArray()).toEqual([
      [0, 1, 2],
      [253, 254, 255],
    ]);
    expect(readIdxSync(u, { dtype: 'float32' }).dtype).toBe('float32');
    expect(readIdxSync(idx(0x09, [3], Uint8Array.of(0xff, 0x80, 0x7f))).toArray()).toEqual([-1, -128, 127]);
    const shorts = [-2, 300, 32767];
    expect(
      readIdxSync(
        idx(
          0x0b,
          [3],
          bigEndian(3, 2, (v, o, i) => v.setInt16(o, shorts[i]!)),
        ),
      ).toArray(),
    ).toEqual(shorts);
    const ints = [-70000, 1, 2 ** 31 - 1];
    expect(
      readIdxSync(
        idx(
          0x0c,
          [3],
          bigEndian(3, 4, (v, o, i) => v.setInt32(o, ints[i]!)),
        ),
      ).toArray(),
    ).toEqual(ints);
    const floats = [1.5, -0.25, 2 ** 40]; // exact in float32
    const f = readIdxSync(
      idx(
        0x0d,
        [3],
        bigEndian(3, 4, (v, o, i) => v.setFloat32(o, floats[i]!)),
      ),
    );
    expect(f.dtype).toBe('float32');
    expect(f.toArray()).toEqual(floats);
    const d = await readIdx(
      idx(
        0x0e,
        [1, 2],
        bigEndian(2, 8, (v, o, i) => v.setFloat64(o, [Math.PI, -1e-300][i]!)),
      ),
    );
    expect(d.dtype).toBe('float64');
    expect(d.toArray()).toEqual([[Math.PI, -1e-300]]);
  });

  it('reads gzip input (async) and refuses it in readIdxSync', async () => {
    const raw = idx(0x08, [4], Uint8Array.of(9, 8, 7, 6));
    const gz = gzipSync(raw);
    expect((await readIdx(gz)).toArray()).toEqual([9, 8, 7, 6]);
    expect((await readIdx(gz.buffer.slice(gz.byteOffset, gz.byteOffset + gz.byteLength))).toArray()).toEqual([
      9, 8, 7, 6,
    ]);
    expect(() => readIdxSync(gz)).toThrow(/gzip-compressed.*await readIdx/);
    await expect(readIdx(gz.subarray(0, gz.length - 10))).rejects.toThrow(
      /gzip data is corrupt or truncated|truncated/,
    );
  });

  it('rejects wrong magic, unknown type codes, zero rank and short headers', async () => {
    await expect(readIdx(Uint8Array.of(0x50, 0x4b, 3, 4, 0, 0, 0, 0))).rejects.toThrow(
      /bad magic number 0x50 0x4b 0x03 0x04/,
    );
    expect(() => readIdxSync(Uint8Array.of(0, 0, 0x07, 1, 0, 0, 0, 1, 5))).toThrow(
      /unknown data type code 0x07/,
    );
    expect(() => readIdxSync(Uint8Array.of(0, 0, 8, 0))).toThrow(/rank \(byte 3\) is 0/);
    expect(() => readIdxSync(Uint8Array.of(0, 0, 8))).toThrow(/3 bytes, an IDX header needs at least 4/);
    expect(() => readIdxSync(Uint8Array.of(0, 0, 8, 3, 0, 0, 0, 1))).toThrow(
      /rank 3 needs a 16-byte header, the file has 8 bytes/,
    );
    await expect(readIdx(gzipSync(Uint8Array.of(1, 2, 3, 4, 5, 6)))).rejects.toThrow(/bad magic number/);
  });

  it('rejects truncated and over-long files naming declared and actual sizes', () => {
    const full = idx(0x08, [2, 2], Uint8Array.of(1, 2, 3, 4));
    expect(() => readIdxSync(full.subarray(0, full.length - 1))).toThrow(
      /file is truncated: header declares shape \[2,2\] of ubyte \(1 byte each\) = 4 data bytes after the 12-byte header, the file has 3/,
    );
    const long = idx(0x0c, [1], new Uint8Array(8));
    expect(() => readIdxSync(long)).toThrow(/longer than its header declares.*= 4 data bytes.*has 8/);
  });

  it('rejects a lying header without allocating what it claims', async () => {
    // Claims 10^9 doubles (8 GB) or 2^64 elements; holds 16 bytes. Allocating first would throw a RangeError instead.
    const lie = idx(0x0e, [1e9], new Uint8Array(16));
    expect(() => readIdxSync(lie)).toThrow(
      /truncated: header declares shape \[1000000000\] of double .* = 8000000000 data bytes .* has 16/,
    );
    const huge = idx(0x08, [0xffffffff, 0xffffffff], new Uint8Array(16));
    await expect(readIdx(huge)).rejects.toThrow(/truncated: header declares shape \[4294967295,4294967295\]/);
    // Same through gzip: the stream is bounded by the real data, not the header.
    const before = process.memoryUsage().arrayBuffers;
    await expect(readIdx(gzipSync(lie))).rejects.toThrow(/truncated.*has 16/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
    // A header declaring less than the (gzip) stream holds stops decompression early.
    await expect(readIdx(gzipSync(idx(0x08, [10], new Uint8Array(1 << 20))))).rejects.toThrow(
      /longer than its header declares.*has at least/,
    );
  });
});

// Debian package dataset-fashion-mnist. Expected values were computed once, independently, with
//   python3 -c "import gzip; d=gzip.open(F).read(); print(d[2], d[3], d[4:16], list(d[16+96:16+104]), sum(d[16:16+784]), ...)"
const FASHION = '/usr/share/datasets/fashion-mnist';
const haveFashion = existsSync(`${FASHION}/train-images-idx3-ubyte.gz`);
const skipFashion = !haveFashion && process.env.CI !== 'true';
if (skipFashion)
  console.warn(`SKIPPED: Fashion-MNIST tests need ${FASHION} (apt install dataset-fashion-mnist)`);

describe.skipIf(skipFashion)('readIdx on Fashion-MNIST (Debian dataset-fashion-mnist)', () => {
  const sum = (a: ArrayLike<number>, from = 0, to = a.length) => {
    let s = 0;
    for (let i = from; i < to; i++) s += a[i]!;
    return s;
  };
  it('reads the 60 000 training images and labels', async () => {
    const images = await readIdxFile(`${FASHION}/train-images-idx3-ubyte.gz`);
    expect(images.shape).toEqual([60000, 28, 28]);
    expect(images.dtype).toBe('int32');
    const px = images.data;
    expect(Array.from(px.subarray(96, 104))).toEqual([1, 0, 0, 13, 73, 0, 0, 1]);
    expect(Array.from(px.subarray(0, 96)).every((v) => v === 0)).toBe(true);
    expect(sum(px, 0, 784)).toBe(76247);
    expect(sum(px)).toBe(3431114169);
    const labels = await readIdxFile(`${FASHION}/train-labels-idx1-ubyte.gz`);
    expect(labels.shape).toEqual([60000]);
    expect(Array.from(labels.data.subarray(0, 12))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5, 0, 9]);
    expect(sum(labels.data)).toBe(270000); // 6000 of each class 0..9
  }, 20000);
  it('reads the 10 000 test images and labels', async () => {
    const images = await readIdxFile(`${FASHION}/t10k-images-idx3-ubyte.gz`, { dtype: 'float32' });
    expect(images.shape).toEqual([10000, 28, 28]);
    expect(images.dtype).toBe('float32');
    expect(Array.from(images.data.subarray(215, 220))).toEqual([3, 1, 0, 0, 7]);
    expect(sum(images.data, 0, 784)).toBe(33456);
    const labels = await readIdxFile(`${FASHION}/t10k-labels-idx1-ubyte.gz`);
    expect(labels.shape).toEqual([10000]);
    expect(Array.from(labels.data.subarray(0, 12))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7, 4, 5]);
    expect(sum(labels.data)).toBe(45000);
  });
});
