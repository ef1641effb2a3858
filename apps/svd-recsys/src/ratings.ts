import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsv, readRatings } from '@tsdl/data';
import { Generator, randperm } from '@tsdl/tensor';

/** Raw MovieLens ratings: parallel arrays with the ids as in the file. */
export interface RawRatings {
  userIds: Int32Array;
  itemIds: Int32Array;
  ratings: Float32Array;
}

/**
 * Ratings re-indexed to dense 0-based user and item indices (the rows of the factor tables).
 * `userIds[u]` / `itemIds[i]` map an index back to the id in the file.
 */
export interface TrainSet {
  nUsers: number;
  nItems: number;
  users: Int32Array;
  items: Int32Array;
  ratings: Float32Array;
  userIds: Int32Array;
  itemIds: Int32Array;
  userIndex: Map<number, number>;
  itemIndex: Map<number, number>;
}

const here = dirname(fileURLToPath(import.meta.url));
/** The bundled MovieLens ml-latest-small (src/ and dist/ both sit one level below the app root). */
export const BUNDLED_DIR = join(here, '..', 'data', 'ml-latest-small');

/** Reads a MovieLens `ratings.csv` or `u.data`; a bad line is reported by @tsdl/data with its number. */
export function loadRatings(path: string): RawRatings {
  const r = readRatings(readFileSync(path));
  return { userIds: r.userIds, itemIds: r.itemIds, ratings: r.ratings };
}

/** movieId → title from a MovieLens `movies.csv` (or `u.item`, pipe-separated, latin-1). */
export function loadTitles(path: string): Map<number, string> {
  const text = readFileSync(path, path.endsWith('u.item') ? 'latin1' : 'utf8');
  const titles = new Map<number, string>();
  if (path.endsWith('u.item')) {
    for (const line of text.split('\n')) {
      const f = line.split('|');
      if (f.length > 1) titles.set(Number(f[0]), f[1]!);
    }
    return titles;
  }
  const t = readCsv(text, {
    columns: ['movieId', 'title'],
    dtypes: { movieId: 'number', title: 'string' },
    onMissing: 'keep',
  });
  const ids = t.data.movieId as Float64Array;
  const names = t.data.title as string[];
  for (let k = 0; k < t.rows; k++) titles.set(ids[k]!, names[k]!);
  return titles;
}

/** Picks the rows at `idx` of a raw rating set. */
export function subset(r: RawRatings, idx: ArrayLike<number>): RawRatings {
  const n = idx.length;
  const out: RawRatings = {
    userIds: new Int32Array(n),
    itemIds: new Int32Array(n),
    ratings: new Float32Array(n),
  };
  for (let k = 0; k < n; k++) {
    const j = idx[k]!;
    out.userIds[k] = r.userIds[j]!;
    out.itemIds[k] = r.itemIds[j]!;
    out.ratings[k] = r.ratings[j]!;
  }
  return out;
}

/** Dense indices in order of first appearance, so the same file always gives the same tables. */
export function indexRatings(r: RawRatings): TrainSet {
  const userIndex = new Map<number, number>();
  const itemIndex = new Map<number, number>();
  const n = r.ratings.length;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const uid = r.userIds[k]!;
    const iid = r.itemIds[k]!;
    let u = userIndex.get(uid);
    if (u === undefined) {
      u = userIndex.size;
      userIndex.set(uid, u);
    }
    let i = itemIndex.get(iid);
    if (i === undefined) {
      i = itemIndex.size;
      itemIndex.set(iid, i);
    }
    users[k] = u;
    items[k] = i;
  }
  return {
    nUsers: userIndex.size,
    nItems: itemIndex.size,
    users,
    items,
    ratings: r.ratings,
    userIds: Int32Array.from(userIndex.keys()),
    itemIds: Int32Array.from(itemIndex.keys()),
    userIndex,
    itemIndex,
  };
}

/** A seeded shuffle of the rating rows, then the last `testFraction` of them held out. */
export function randomSplit(
  r: RawRatings,
  testFraction: number,
  seed: number,
): { train: RawRatings; test: RawRatings } {
  if (!(testFraction > 0 && testFraction < 1))
    throw new Error(`randomSplit: testFraction must be in (0, 1), received ${testFraction}`);
  const perm = randperm(r.ratings.length, { generator: new Generator(seed) }).data as Int32Array;
  const nTest = Math.round(r.ratings.length * testFraction);
  const cut = r.ratings.length - nTest;
  return { train: subset(r, perm.subarray(0, cut)), test: subset(r, perm.subarray(cut)) };
}

/** K folds over one seeded shuffle: fold f holds out the f-th of K near-equal slices. */
export function kFold(r: RawRatings, folds: number, seed: number): { train: RawRatings; test: RawRatings }[] {
  const n = r.ratings.length;
  if (!Number.isInteger(folds) || folds < 2 || folds > n)
    throw new Error(`kFold: folds must be an integer in [2, ${n}], received ${folds}`);
  const perm = randperm(n, { generator: new Generator(seed) }).data as Int32Array;
  const out: { train: RawRatings; test: RawRatings }[] = [];
  for (let f = 0; f < folds; f++) {
    const lo = Math.floor((n * f) / folds);
    const hi = Math.floor((n * (f + 1)) / folds);
    const trainIdx = new Int32Array(n - (hi - lo));
    trainIdx.set(perm.subarray(0, lo));
    trainIdx.set(perm.subarray(hi), lo);
    out.push({ train: subset(r, trainIdx), test: subset(r, perm.subarray(lo, hi)) });
  }
  return out;
}
