import { describe, expect, it } from 'vitest';
import { readCifarBinary } from './read-cifar-binary.js';

/** Writes CIFAR-10 records: label byte then 3072 pixel bytes (planes R, G, B of 32×32). */
function records(
  labels: number[],
  pixel: (n: number, c: number, y: number, x: number) => number,
): Uint8Array {
  const out = new Uint8Array(labels.length * 3073);
  labels.forEach((l, n) => {
    out[n * 3073] = l;
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 32; x++) out[n * 3073 + 1 + c * 1024 + y * 32 + x] = pixel(n, c, y, x);
  });
  return out;
}

describe('readCifarBinary', () => {
  const pixel = (n: number, c: number, y: number, x: number) => (n * 7 + c * 50 + y * 3 + x) % 256;
  it('round-trips records into NCHW images and int32 labels', () => {
    const bytes = records([3, 0, 9], pixel);
    const { images, labels } = readCifarBinary(bytes);
    expect(images.shape).toEqual([3, 3, 32, 32]);
    expect(images.dtype).toBe('float32');
    expect(labels.dtype).toBe('int32');
    expect(labels.toArray()).toEqual([3, 0, 9]);
    for (const [n, c, y, x] of [
      [0, 0, 0, 0],
      [1, 2, 31, 31],
      [2, 1, 5, 17],
      [2, 2, 31, 0],
    ] as const) {
      expect(images.get(n, c, y, x)).toBe(pixel(n, c, y, x));
    }
    // Every byte lands in its place.
    const flat = images.data;
    for (let n = 0; n < 3; n++)
      for (let i = 0; i < 3072; i++) expect(flat[n * 3072 + i]).toBe(bytes[n * 3073 + 1 + i]);
    expect(readCifarBinary(bytes.buffer as ArrayBuffer, { dtype: 'int32' }).images.dtype).toBe('int32');
  });
  it('rejects lengths that are not whole records, empty input and labels ≥ 10', () => {
    const bytes = records([1, 2], pixel);
    expect(() => readCifarBinary(bytes.subarray(0, 3073 + 100))).toThrow(
      /3173 bytes, not a multiple of the 3073-byte record .*1 whole records and 100 stray bytes/,
    );
    expect(() => readCifarBinary(new Uint8Array(0))).toThrow(/empty/);
    const bad = records([1, 10], pixel);
    expect(() => readCifarBinary(bad)).toThrow(
      /record 1 \(byte offset 3073\) has label 10; CIFAR-10 labels are 0..9/,
    );
    expect(() => readCifarBinary('nope' as never)).toThrow(/expected bytes/);
  });
});
