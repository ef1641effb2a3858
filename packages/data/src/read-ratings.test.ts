import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRatings } from './read-ratings.js';

// First lines of MovieLens ml-latest-small ratings.csv (GroupLens; see its README.txt).
const ML_HEAD = `userId,movieId,rating,timestamp
1,1,4.0,964982703
1,3,4.0,964981247
1,6,4.0,964982224
1,47,5.0,964983815
1,50,5.0,964982931
`;

// First lines of MovieLens 100K u.data (user item rating timestamp, tab-separated).
const UDATA = '196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n';

describe('readRatings', () => {
  it('reads u.data', () => {
    const r = readRatings(UDATA);
    expect(Array.from(r.userIds)).toEqual([196, 186, 22]);
    expect(Array.from(r.itemIds)).toEqual([242, 302, 377]);
    expect(Array.from(r.ratings)).toEqual([3, 3, 1]);
    expect(Array.from(r.timestamps!)).toEqual([881250949, 891717742, 878887116]);
    expect(readRatings(new TextEncoder().encode(UDATA), { format: 'udata' }).userIds.length).toBe(3);
  });
  it('reads ratings.csv, with or without timestamps', () => {
    const r = readRatings('userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,3,4.5,964981247\r\n');
    expect(Array.from(r.userIds)).toEqual([1, 1]);
    expect(Array.from(r.itemIds)).toEqual([1, 3]);
    expect(Array.from(r.ratings)).toEqual([4, 4.5]);
    expect(Array.from(r.timestamps!)).toEqual([964982703, 964981247]);
    const noTime = readRatings('movieId,userId,rating\n5,2,0.5\n', { format: 'csv' });
    expect([noTime.userIds[0], noTime.itemIds[0], noTime.ratings[0], noTime.timestamps]).toEqual([
      2,
      5,
      0.5,
      undefined,
    ]);
  });
  it('names the line number and content of a bad line', () => {
    expect(() => readRatings('196\t242\t3\t881250949\n186\t302\n')).toThrow(
      /line 2: expected 4 tab-separated fields \(user item rating timestamp\), found 2: "186\\t302"/,
    );
    expect(() =>
      readRatings('userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,x,4.0,964981247\n'),
    ).toThrow(/line 3: item id "x" is not an integer: "1,x,4.0,964981247"/);
    expect(() => readRatings('userId,movieId,rating,timestamp\n1,1,,964982703\n')).toThrow(
      /line 2: rating "" is not a number/,
    );
    expect(() => readRatings('a,b,c\n1,2,3\n')).toThrow(
      /line 1: expected a header with userId, movieId and rating/,
    );
  });

  it('reads the first lines of ml-latest-small ratings.csv (copied verbatim)', () => {
    const r = readRatings(ML_HEAD);
    expect(Array.from(r.userIds)).toEqual([1, 1, 1, 1, 1]);
    expect(Array.from(r.itemIds)).toEqual([1, 3, 6, 47, 50]);
    expect(Array.from(r.ratings)).toEqual([4, 4, 4, 5, 5]);
    expect(Array.from(r.timestamps!)).toEqual([964982703, 964981247, 964982224, 964983815, 964982931]);
  });

  // The whole file is in the workspace's shared data, not in the repository.
  const FILE = '/work/shared/data/ml-latest-small/ratings.csv';
  if (!existsSync(FILE)) console.warn(`SKIPPED: ml-latest-small checks need ${FILE}`);
  it.skipIf(!existsSync(FILE))('reads ml-latest-small ratings.csv and agrees with a plain split', () => {
    const all = readRatings(readFileSync(FILE));
    expect(all.ratings.length).toBe(100836); // README.txt: 100 836 ratings by 610 users
    expect(Math.max(...all.userIds)).toBe(610);
    const lines = readFileSync(FILE, 'utf8').split('\n');
    const snippet = lines.slice(0, 501).join('\n');
    const r = readRatings(snippet);
    expect(r.userIds.length).toBe(500);
    // Compare every row with a plain split of the same lines.
    lines.slice(1, 501).forEach((l, i) => {
      const [u, m, rt, ts] = l.trim().split(',').map(Number);
      expect([r.userIds[i], r.itemIds[i], r.ratings[i], r.timestamps![i]]).toEqual([u, m, rt, ts]);
    });
  });
});
