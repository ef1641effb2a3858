import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSafetensors, saveSafetensors } from '@tsdl/nn';
import { describe, expect, it, onTestFinished } from 'vitest';
import { exportFactorModel, onnxParity } from './export.js';
import { fromRecord, score, toRecord } from './factor-model.js';
import { trainMf } from './mf.js';
import { indexRatings } from './ratings.js';
import { fitSvd } from './svd-model.js';

// A small synthetic rating set: 40 users × 60 items, 30% observed, ratings from a rank-3 pattern.
function synthetic() {
  let s = 12345;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const u: number[] = [];
  const i: number[] = [];
  const r: number[] = [];
  for (let a = 0; a < 40; a++) {
    for (let b = 0; b < 60; b++) {
      if (rnd() > 0.3) continue;
      u.push(a + 1);
      i.push(b + 100);
      r.push(
        Math.min(
          5,
          Math.max(0.5, Math.round((3 + Math.sin(a) * Math.cos(b) + 0.5 * Math.sin(a * b)) * 2) / 2),
        ),
      );
    }
  }
  return indexRatings({
    userIds: Int32Array.from(u),
    itemIds: Int32Array.from(i),
    ratings: Float32Array.from(r),
  });
}

describe('ONNX export', () => {
  const train = synthetic();

  it.each(['mf', 'svd'] as const)(
    '%s: onnxruntime-node agrees with tsdl (scores within 1e-5, same top-K ids)',
    async (name) => {
      const f =
        name === 'mf'
          ? trainMf(train, { k: 6, epochs: 3, batchSize: 64, lr: 1e-2, seed: 1 }).factors
          : fitSvd(train, 5);
      const e = exportFactorModel(f, 5);
      const p = await onnxParity(e, train.nUsers, train.nItems, { pairs: 300, users: 16 });
      expect(p.maxRatingDiff).toBeLessThan(1e-5);
      expect(p.maxTopkScoreDiff).toBeLessThan(1e-5);
      expect(p.sameTopkIds).toBe(true);
    },
  );

  it('the traced model is the factor model (float32 of μ + b_u + b_i + p·q)', async () => {
    const f = fitSvd(train, 4);
    const e = exportFactorModel(f, 3);
    const { Tensor } = await import('@tsdl/tensor');
    const out = e.ratingModel
      .forward(new Tensor(Int32Array.of(0, 7), [2]), new Tensor(Int32Array.of(3, 11), [2]))
      .data.toTypedArray();
    expect(out[0]).toBeCloseTo(Math.min(5, Math.max(0.5, score(f, 0, 3))), 5);
    expect(out[1]).toBeCloseTo(Math.min(5, Math.max(0.5, score(f, 7, 11))), 5);
  });

  it('factors round-trip through safetensors', async () => {
    const f = fitSvd(train, 3);
    const dir = mkdtempSync(join(tmpdir(), 'svd-recsys-st-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'model.safetensors');
    await saveSafetensors(path, toRecord(f));
    const g = fromRecord('svd', await loadSafetensors(path));
    expect(g.k).toBe(3);
    expect(Array.from(g.itemIds)).toEqual(Array.from(f.itemIds));
    expect(Array.from(g.Q)).toEqual(Array.from(Float32Array.from(f.Q)));
    expect(g.mu).toBeCloseTo(f.mu, 6);
  });
});
