import { type CifarSet, PIXELS } from './dataset.js';

/** Per-channel mean and standard deviation of pixel values scaled to [0, 1] (RGB order). */
export interface ChannelStats {
  mean: [number, number, number];
  std: [number, number, number];
}

/**
 * Mean and population std of each channel over every pixel of `set` (computed on the training set
 * only, so nothing about the test images leaks into the input scaling). Sums in float64.
 */
export function channelStats(set: CifarSet): ChannelStats {
  if (set.count === 0) throw new Error('channelStats: the set is empty');
  const mean: [number, number, number] = [0, 0, 0];
  const std: [number, number, number] = [0, 0, 0];
  const n = set.count * 1024;
  for (let c = 0; c < 3; c++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < set.count; i++) {
      const base = i * PIXELS + c * 1024;
      for (let p = 0; p < 1024; p++) {
        const v = set.images[base + p]!;
        s += v;
        s2 += v * v;
      }
    }
    const m = s / n;
    mean[c] = m / 255;
    std[c] = Math.sqrt(Math.max(0, s2 / n - m * m)) / 255;
  }
  return { mean, std };
}

/** (x / 255 − mean) / std per channel, as float32 [count, 3, 32, 32]. */
export function normalize(set: CifarSet, stats: ChannelStats): Float32Array {
  return normalizeBytes(set.images, set.count, stats);
}

export function normalizeBytes(images: Uint8Array, count: number, stats: ChannelStats): Float32Array {
  const out = new Float32Array(count * PIXELS);
  for (let c = 0; c < 3; c++) {
    const scale = 1 / (255 * stats.std[c]!);
    const shift = stats.mean[c]! / stats.std[c]!;
    for (let i = 0; i < count; i++) {
      const base = i * PIXELS + c * 1024;
      for (let p = 0; p < 1024; p++) out[base + p] = images[base + p]! * scale - shift;
    }
  }
  return out;
}

/** The normalised value of a black pixel per channel (what zero padding of the raw image becomes). */
export function blackLevel(stats: ChannelStats): [number, number, number] {
  return [0, 1, 2].map((c) => -stats.mean[c]! / stats.std[c]!) as [number, number, number];
}
