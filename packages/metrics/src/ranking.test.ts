import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { ndcgAtK, precisionAtK, recallAtK } from './ranking.js';
import { expectClose, fixtures } from './test-utils/fixtures.js';

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe('ndcgAtK equals scikit-learn ndcg_score; precision/recall@k equal the Python reference', () => {
  it.each(fixtures.ranking.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expectClose(ndcgAtK(c.relevant, c.ranked, c.k), c.ndcg);
    c.ranked.forEach((r, u) => {
      expectClose(ndcgAtK(c.relevant[u]!, r, c.k), c.ndcgPerUser[u]!);
    });
    if (c.precisionPerUser && c.recallPerUser) {
      c.ranked.forEach((r, u) => {
        expectClose(precisionAtK(c.relevant[u]!, r, c.k), c.precisionPerUser![u]!);
        expectClose(recallAtK(c.relevant[u]!, r, c.k), c.recallPerUser![u]!);
      });
      expectClose(precisionAtK(c.relevant, c.ranked, c.k), mean(c.precisionPerUser));
      expectClose(recallAtK(c.relevant, c.ranked, c.k), mean(c.recallPerUser));
    }
  });

  it('gives the same values for Set / Map relevance and a [users, n] Tensor of rankings', () => {
    for (const c of fixtures.ranking) {
      const rankedT = tensor(c.ranked.flat(), {
        dtype: 'int32',
        shape: [c.ranked.length, c.ranked[0]!.length],
      });
      const rel = c.relevant.map((r) =>
        Array.isArray(r)
          ? new Set(r)
          : new Map(Object.entries(r).map(([id, g]) => [Number(id), g] as [number, number])),
      );
      expectClose(ndcgAtK(rel, rankedT, c.k), c.ndcg);
      if (c.precisionPerUser) expectClose(precisionAtK(rel, rankedT, c.k), mean(c.precisionPerUser));
    }
  });
});

describe('ranking metrics', () => {
  it('compute the textbook values on a hand example', () => {
    const relevant = new Set(['a', 'c', 'x']);
    const ranked = ['a', 'b', 'c', 'd'];
    expect(precisionAtK(relevant, ranked, 2)).toBe(1 / 2);
    expect(precisionAtK(relevant, ranked, 10)).toBe(2 / 10); // denominator stays k
    expect(recallAtK(relevant, ranked, 3)).toBe(2 / 3);
    const dcg = 1 + 1 / Math.log2(4);
    const idcg = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(ndcgAtK(relevant, ranked, 3)).toBeCloseTo(dcg / idcg, 15);
    // graded: a record keyed by id; numeric ids are looked up as strings
    expect(ndcgAtK({ 1: 3, 2: 1 }, [2, 1], 2)).toBeCloseTo(
      (1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3)),
      15,
    );
    expect(ndcgAtK({ 1: 3, 2: 1 }, [1, 2], 2)).toBe(1);
  });

  it('score a user with no relevant item as 0 and keep them in the batch mean', () => {
    expect(recallAtK([], [1, 2], 2)).toBe(0);
    expect(ndcgAtK(new Map([[1, 0]]), [1, 2], 2)).toBe(0);
    expect(
      ndcgAtK(
        [[1], []],
        [
          [1, 2],
          [1, 2],
        ],
        2,
      ),
    ).toBe(0.5);
  });

  it('throw clear errors', () => {
    expect(() => precisionAtK([1], [1, 2], 0)).toThrow(
      'precisionAtK: k must be a positive integer, received 0',
    );
    expect(() => recallAtK([1], [1, 2, 1], 3)).toThrow('recallAtK: ranked lists item 1 twice in its top 3');
    expect(() => ndcgAtK([[1], [2]], [[1, 2]], 2)).toThrow(
      'ndcgAtK: relevant has 2 users but ranked has 1; expected 1',
    );
    expect(() => ndcgAtK([[1], [2]], [1, 2], 2)).toThrow(
      'ndcgAtK: relevant is a batch (one collection per user) but ranked is a single list',
    );
    expect(() => ndcgAtK({ a: -1 }, ['a'], 1)).toThrow(
      'ndcgAtK: relevant gains must be finite numbers ≥ 0, received -1 for item a',
    );
    expect(() => ndcgAtK(new Set([1]), [[1], [2]], 1)).toThrow(
      'ndcgAtK: ranked holds 2 users, so relevant must be an array of 2 per-user collections',
    );
  });
});
