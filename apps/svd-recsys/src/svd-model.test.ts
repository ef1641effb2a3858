import { describe, expect, it } from 'vitest';
import { predict } from './factor-model.js';
import { indexRatings } from './ratings.js';
import { fitSvd } from './svd-model.js';

describe('fitSvd', () => {
  it('reproduces a complete matrix whose centred form has rank k', () => {
    // Rows: user mean + a rank-1 pattern with zero row sums, so centring leaves exactly a rank-1 matrix.
    const means = [3, 3.5, 2.5, 4];
    const a = [1, -0.5, 0.5, -1];
    const v = [0.5, -0.5, 1, -1];
    const u: number[] = [];
    const i: number[] = [];
    const r: number[] = [];
    for (const [x, m] of means.entries()) {
      for (const [y, w] of v.entries()) {
        u.push(x);
        i.push(y);
        r.push(m + a[x]! * w);
      }
    }
    const t = indexRatings({
      userIds: Int32Array.from(u),
      itemIds: Int32Array.from(i),
      ratings: Float32Array.from(r),
    });
    const m = fitSvd(t, 1);
    for (let k = 0; k < r.length; k++) expect(predict(m, t.users[k]!, t.items[k]!)).toBeCloseTo(r[k]!, 5);
    // A new item gets the user's mean; a new user the global mean.
    expect(predict(m, 0, -1)).toBeCloseTo(3, 5);
    expect(predict(m, -1, -1)).toBeCloseTo(3.25, 5);
  });
});
