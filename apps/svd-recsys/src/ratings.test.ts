import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_DIR, indexRatings, kFold, loadRatings, loadTitles, randomSplit } from './ratings.js';

const dir = mkdtempSync(join(tmpdir(), 'svd-recsys-ratings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('loadRatings', () => {
  it('reads ratings.csv and u.data', () => {
    const csv = loadRatings(
      file('ratings.csv', 'userId,movieId,rating,timestamp\n1,10,4.5,964982703\n2,10,3,964982704\n'),
    );
    expect(Array.from(csv.userIds)).toEqual([1, 2]);
    expect(Array.from(csv.ratings)).toEqual([4.5, 3]);
    const udata = loadRatings(file('u.data', '196\t242\t3\t881250949\n186\t302\t3\t891717742\n'));
    expect(Array.from(udata.itemIds)).toEqual([242, 302]);
  });

  it('names the line of a bad row', () => {
    const p = file('bad.csv', 'userId,movieId,rating,timestamp\n1,10,4.5,964982703\n2,ten,3,964982704\n');
    expect(() => loadRatings(p)).toThrow(/line 3.*item id "ten"/);
    const q = file('bad.data', '196\t242\t3\t881250949\n186\t302\t881250949\n');
    expect(() => loadRatings(q)).toThrow(/line 2/);
  });

  it('loads the bundled ml-latest-small and its titles', () => {
    const r = loadRatings(join(BUNDLED_DIR, 'ratings.csv'));
    expect(r.ratings.length).toBe(100836);
    const t = indexRatings(r);
    expect([t.nUsers, t.nItems]).toEqual([610, 9724]);
    expect(loadTitles(join(BUNDLED_DIR, 'movies.csv')).get(1)).toBe('Toy Story (1995)');
  });
});

describe('splits', () => {
  const r = {
    userIds: Int32Array.from({ length: 103 }, (_, k) => k % 7),
    itemIds: Int32Array.from({ length: 103 }, (_, k) => k),
    ratings: Float32Array.from({ length: 103 }, (_, k) => 1 + (k % 5)),
  };

  it('80/20 split is seeded and partitions the rows', () => {
    const a = randomSplit(r, 0.2, 1);
    expect(a.test.ratings.length).toBe(21);
    expect(Array.from(randomSplit(r, 0.2, 1).test.itemIds)).toEqual(Array.from(a.test.itemIds));
    expect(Array.from(randomSplit(r, 0.2, 2).test.itemIds)).not.toEqual(Array.from(a.test.itemIds));
    expect(new Set([...a.train.itemIds, ...a.test.itemIds]).size).toBe(103);
  });

  it('k folds hold out every row exactly once', () => {
    const folds = kFold(r, 5, 3);
    const held = folds.flatMap((f) => Array.from(f.test.itemIds)).sort((x, y) => x - y);
    expect(held).toEqual(Array.from(r.itemIds));
    for (const f of folds) expect(f.train.ratings.length + f.test.ratings.length).toBe(103);
    expect(() => kFold(r, 1, 0)).toThrow(/folds must be an integer in \[2, 103\], received 1/);
  });

  it('indexes users and items by first appearance', () => {
    const t = indexRatings({
      userIds: Int32Array.of(9, 4, 9),
      itemIds: Int32Array.of(7, 7, 3),
      ratings: Float32Array.of(1, 2, 3),
    });
    expect(Array.from(t.users)).toEqual([0, 1, 0]);
    expect(Array.from(t.items)).toEqual([0, 0, 1]);
    expect(Array.from(t.userIds)).toEqual([9, 4]);
    expect(t.itemIndex.get(3)).toBe(1);
  });
});
