import { asText } from './bytes.js';
import { fail } from './errors.js';

const OP = 'readRatings';

export interface RatingsOptions {
  /**
   * 'udata': MovieLens 100K `u.data` (tab-separated user, item, rating, timestamp; no header);
   * 'csv': `ratings.csv` of the newer MovieLens sets (header userId,movieId,rating,timestamp);
   * 'auto' (default): 'csv' when the first line has a comma, else 'udata'.
   */
  format?: 'auto' | 'udata' | 'csv';
}

export interface Ratings {
  userIds: Int32Array;
  itemIds: Int32Array;
  ratings: Float32Array;
  /** Unix seconds, when the file has them. */
  timestamps?: Float64Array;
}

/** MovieLens ratings as parallel typed arrays (ids as in the file; no re-indexing). */
export function readRatings(input: string | Uint8Array | ArrayBuffer, options: RatingsOptions = {}): Ratings {
  const { format = 'auto' } = options;
  if (!['auto', 'udata', 'csv'].includes(format)) {
    fail(OP, `format must be 'auto', 'udata' or 'csv', received ${JSON.stringify(format)}`);
  }
  const text = asText(OP, input);
  const lines = text.split('\n');
  const firstLine = lines.find((l) => l.trim() !== '') ?? '';
  const fmt = format === 'auto' ? (firstLine.includes(',') ? 'csv' : 'udata') : format;
  let start = 0;
  let sep = '\t';
  // Column positions: user, item, rating, timestamp (-1 when absent).
  let pos = [0, 1, 2, 3];
  let nFields = 4;
  if (fmt === 'csv') {
    sep = ',';
    while (start < lines.length && lines[start]!.trim() === '') start++;
    const head = (lines[start] ?? '')
      .trim()
      .split(',')
      .map((s) => s.trim());
    const find = (...names: string[]) => head.findIndex((h) => names.includes(h));
    pos = [
      find('userId', 'user_id', 'user'),
      find('movieId', 'itemId', 'item_id', 'item', 'movie_id'),
      find('rating'),
      find('timestamp'),
    ];
    if (pos[0]! < 0 || pos[1]! < 0 || pos[2]! < 0) {
      fail(
        OP,
        `line ${start + 1}: expected a header with userId, movieId and rating (and optionally timestamp), received ${JSON.stringify(lines[start] ?? '')}`,
      );
    }
    nFields = head.length;
    start++;
  }
  const n = lines.length - start;
  const userIds = new Int32Array(n);
  const itemIds = new Int32Array(n);
  const ratings = new Float32Array(n);
  const hasTime = pos[3]! >= 0;
  const timestamps = hasTime ? new Float64Array(n) : undefined;
  const expected =
    fmt === 'csv'
      ? `${nFields} comma-separated fields`
      : '4 tab-separated fields (user item rating timestamp)';
  let k = 0;
  for (let i = start; i < lines.length; i++) {
    let l = lines[i]!;
    if (l.endsWith('\r')) l = l.slice(0, -1);
    if (l.trim() === '') continue;
    const f = l.split(sep);
    const bad = (why: string): never => fail(OP, `line ${i + 1}: ${why}: ${JSON.stringify(l.slice(0, 120))}`);
    if (f.length !== nFields) bad(`expected ${expected}, found ${f.length}`);
    const int = (j: number, what: string) => {
      const s = f[pos[j]!]!.trim();
      const v = Number(s);
      if (s === '' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647)
        bad(`${what} ${JSON.stringify(s)} is not an integer`);
      return v;
    };
    userIds[k] = int(0, 'user id');
    itemIds[k] = int(1, 'item id');
    const rs = f[pos[2]!]!.trim();
    const r = Number(rs);
    if (rs === '' || !Number.isFinite(r)) bad(`rating ${JSON.stringify(rs)} is not a number`);
    ratings[k] = r;
    if (timestamps) {
      const ts = f[pos[3]!]!.trim();
      const t = Number(ts);
      if (ts === '' || !Number.isInteger(t)) bad(`timestamp ${JSON.stringify(ts)} is not an integer`);
      timestamps[k] = t;
    }
    k++;
  }
  const out: Ratings = {
    userIds: userIds.slice(0, k),
    itemIds: itemIds.slice(0, k),
    ratings: ratings.slice(0, k),
  };
  if (timestamps) out.timestamps = timestamps.slice(0, k);
  return out;
}
