import { describe, expect, it } from 'vitest';
import { PIXELS } from './dataset.js';
import { blackLevel, channelStats, normalize } from './normalize.js';
import { makeFixtureSet } from './test-utils/fixture.js';

describe('per-channel normalisation', () => {
  const train = makeFixtureSet(40, 1);

  it('computes mean and population std of each channel on the [0, 1] scale', () => {
    const s = channelStats(train);
    for (let c = 0; c < 3; c++) {
      const v: number[] = [];
      for (let i = 0; i < train.count; i++)
        for (let p = 0; p < 1024; p++) v.push(train.images[i * PIXELS + c * 1024 + p]! / 255);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
      expect(s.mean[c]).toBeCloseTo(m, 10);
      expect(s.std[c]).toBeCloseTo(sd, 10);
    }
    // The channels of this fixture differ, so per-channel statistics are not one global number.
    expect(new Set(s.mean.map((m) => m.toFixed(3))).size).toBe(3);
  });

  it('gives the training set zero mean and unit std per channel; other sets use the training statistics', () => {
    const s = channelStats(train);
    const x = normalize(train, s);
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      let sq = 0;
      for (let i = 0; i < train.count; i++) {
        for (let p = 0; p < 1024; p++) {
          const v = x[i * PIXELS + c * 1024 + p]!;
          sum += v;
          sq += v * v;
        }
      }
      const n = train.count * 1024;
      expect(sum / n).toBeCloseTo(0, 4);
      expect(Math.sqrt(sq / n - (sum / n) ** 2)).toBeCloseTo(1, 4);
    }
    const other = makeFixtureSet(5, 9);
    const y = normalize(other, s);
    const v = other.images[2 * PIXELS + 1024 + 7]!;
    expect(y[2 * PIXELS + 1024 + 7]).toBeCloseTo((v / 255 - s.mean[1]) / s.std[1], 5);
    expect(blackLevel(s)[2]).toBeCloseTo(-s.mean[2] / s.std[2], 12);
  });

  it('rejects an empty set', () => {
    expect(() => channelStats({ images: new Uint8Array(0), labels: new Int32Array(0), count: 0 })).toThrow(
      /empty/,
    );
  });
});
