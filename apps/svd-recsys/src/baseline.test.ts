import { describe, expect, it } from 'vitest';
import { fitBaseline } from './baseline.js';
import { predict } from './factor-model.js';
import { indexRatings } from './ratings.js';

// users 0, 1; items 0, 1:  r(0,0) = 5, r(0,1) = 3, r(1,0) = 4; μ = 4.
const tiny = indexRatings({
  userIds: Int32Array.of(0, 0, 1),
  itemIds: Int32Array.of(0, 1, 0),
  ratings: Float32Array.of(5, 3, 4),
});

describe('fitBaseline', () => {
  it('one ALS pass matches the closed form worked by hand', () => {
    const m = fitBaseline(tiny, { regU: 1, regI: 1, epochs: 1 });
    expect(m.mu).toBe(4);
    // Items first (b_u = 0): b_i0 = ((5−4) + (4−4)) / (1 + 2) = 1/3, b_i1 = (3−4) / (1 + 1) = −1/2.
    expect(m.itemBias[0]).toBeCloseTo(1 / 3, 12);
    expect(m.itemBias[1]).toBeCloseTo(-1 / 2, 12);
    // Then users: b_u0 = ((5−4−1/3) + (3−4+1/2)) / (1 + 2) = 1/18, b_u1 = (4−4−1/3) / (1 + 1) = −1/6.
    expect(m.userBias[0]).toBeCloseTo(1 / 18, 12);
    expect(m.userBias[1]).toBeCloseTo(-1 / 6, 12);
    expect(predict(m, 1, 1)).toBeCloseTo(4 - 1 / 6 - 1 / 2, 12);
  });

  it('recovers exact biases of an additive matrix when unregularised', () => {
    const bu = [0.5, -1, 0.25];
    const bi = [1, -0.5, 0, 0.75];
    const u: number[] = [];
    const i: number[] = [];
    const r: number[] = [];
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 4; b++)
        if ((a + b) % 5 !== 4) {
          u.push(a);
          i.push(b);
          r.push(3 + bu[a]! + bi[b]!);
        }
    const t = indexRatings({
      userIds: Int32Array.from(u),
      itemIds: Int32Array.from(i),
      ratings: Float32Array.from(r),
    });
    const m = fitBaseline(t, { regU: 0, regI: 0, epochs: 200 });
    for (let k = 0; k < r.length; k++) expect(predict(m, t.users[k]!, t.items[k]!)).toBeCloseTo(r[k]!, 6);
  });

  it('cold-start users and items fall back to the biases and the global mean', () => {
    const m = fitBaseline(tiny);
    expect(predict(m, -1, -1)).toBe(4);
    expect(predict(m, 0, -1)).toBeCloseTo(4 + m.userBias[0]!, 12);
    expect(predict(m, -1, 1)).toBeCloseTo(4 + m.itemBias[1]!, 12);
  });
});
