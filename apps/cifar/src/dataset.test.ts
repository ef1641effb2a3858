import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CLASSES,
  fromBinaryBatches,
  hasCifar,
  loadCifar,
  PIXELS,
  randomSubset,
  readImageFolder,
} from './dataset.js';
import { makeFixtureSet, toBinaryBatch, writeBinaryDir, writeImageFolder } from './test-utils/fixture.js';

// Folders under the OS temp dir, removed after each test.
const dirs: string[] = [];
const tempDir = (prefix: string): string => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('CIFAR-10 binary batches (fixture files in the real format)', () => {
  it('reads labels and R, G, B planes of each 3073-byte record in order', () => {
    const set = makeFixtureSet(30, 1);
    const bytes = toBinaryBatch(set);
    expect(bytes.length).toBe(30 * 3073);
    // The record layout itself: label byte, then 1024 red, 1024 green, 1024 blue bytes.
    expect(bytes[3073 * 7]).toBe(set.labels[7]);
    expect(bytes[3073 * 7 + 1 + 1024 + 5]).toBe(set.images[7 * PIXELS + 1024 + 5]);
    const back = fromBinaryBatches([bytes.subarray(0, 3073 * 12), bytes.subarray(3073 * 12)]);
    expect(back.count).toBe(30);
    expect(Array.from(back.labels)).toEqual(Array.from(set.labels));
    expect(Buffer.from(back.images).equals(Buffer.from(set.images))).toBe(true);
  });

  it('loads data_batch_1..5 + test_batch from DIR or DIR/cifar-10-batches-bin', () => {
    const dir = tempDir('cifar-bin-');
    const train = makeFixtureSet(53, 2);
    const test = makeFixtureSet(17, 3);
    const bin = writeBinaryDir(dir, train, test);
    for (const d of [dir, bin]) {
      expect(hasCifar(d)).toBe(true);
      const got = loadCifar(d);
      expect(got.format).toBe('binary');
      expect(got.train.count).toBe(53);
      expect(got.test.count).toBe(17);
      expect(Buffer.from(got.train.images).equals(Buffer.from(train.images))).toBe(true);
      expect(Array.from(got.test.labels)).toEqual(Array.from(test.labels));
    }
    const limited = loadCifar(dir, { train: 20, test: 5, seed: 4 });
    expect(limited.train.count).toBe(20);
    expect(limited.test.count).toBe(5);
  });

  it('rejects a truncated batch and an incomplete folder with messages that say what is wrong', () => {
    const bytes = toBinaryBatch(makeFixtureSet(3, 1));
    expect(() => fromBinaryBatches([bytes.subarray(0, 3073 * 2 + 100)])).toThrow(
      /3073-byte record.*100 stray bytes/,
    );
    const dir = tempDir('cifar-bin-');
    writeFileSync(join(dir, 'test_batch.bin'), bytes);
    expect(() => loadCifar(dir)).toThrow(/lacks data_batch_1.bin/);
    const empty = tempDir('cifar-none-');
    expect(hasCifar(empty)).toBe(false);
    expect(() => loadCifar(empty)).toThrow(/neither cifar-10-batches-bin/);
  });
});

describe('image-folder layout', () => {
  it('reads train/<class>/*.png|jpg with labels from the class folder (PNG exact, JPEG close)', () => {
    const dir = tempDir('cifar-img-');
    const train = makeFixtureSet(20, 5);
    const test = makeFixtureSet(10, 6);
    writeImageFolder(dir, 'train', train);
    writeImageFolder(dir, 'test', test, 'png');
    const got = loadCifar(dir);
    expect(got.format).toBe('image-folder');
    expect(got.train.count).toBe(20);
    // Files are read class by class; compare each image with its source by label and index order.
    const byClass = (labels: Int32Array) => Array.from(labels).sort((a, b) => a - b);
    expect(Array.from(got.train.labels)).toEqual(byClass(train.labels));
    // test/ is all PNG: lossless, so the pixels are identical to the source of the same class.
    for (let i = 0; i < got.test.count; i++) {
      const c = got.test.labels[i]!;
      const src = Array.from(test.labels).indexOf(c);
      expect(
        Buffer.from(got.test.images.subarray(i * PIXELS, (i + 1) * PIXELS)).equals(
          Buffer.from(test.images.subarray(src * PIXELS, (src + 1) * PIXELS)),
        ),
      ).toBe(true);
    }
    // JPEG at quality 95: close to the source, not equal.
    const jpgIdx = 1; // fixture image 1 (class 1) is written as .jpg
    const k = Array.from(got.train.labels).indexOf(1); // the first class-1 file is 0001.jpg
    let diff = 0;
    for (let p = 0; p < PIXELS; p++)
      diff += Math.abs(got.train.images[k * PIXELS + p]! - train.images[jpgIdx * PIXELS + p]!);
    expect(diff / PIXELS).toBeLessThan(12);
    expect(readImageFolder(join(dir, 'train'), { limit: 7, seed: 1 }).count).toBe(7);
  });

  it('rejects unknown class folders', () => {
    const dir = tempDir('cifar-img-');
    mkdirSync(join(dir, 'train', 'spaceship'), { recursive: true });
    expect(() => readImageFolder(join(dir, 'train'))).toThrow(/\[spaceship\] that are not CIFAR-10 classes/);
  });

  it('randomSubset is seeded', () => {
    const set = makeFixtureSet(50, 7);
    expect(Array.from(randomSubset(set, 10, 3).labels)).toEqual(Array.from(randomSubset(set, 10, 3).labels));
    expect(CLASSES).toHaveLength(10);
  });
});
