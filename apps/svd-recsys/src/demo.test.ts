import { describe, expect, it } from 'vitest';
import { DEMO_R, formatDemo, svdDemo } from './demo.js';

// Computed once with numpy 1.x (/usr/bin/python3):
//   R = np.array(DEMO_R, float); U, S, Vt = np.linalg.svd(R, full_matrices=False)
//   A = U[:, :2] @ np.diag(S[:2]) @ Vt[:2]; m = R != 0; ((R - A)[m] ** 2).mean()
const S_NUMPY = [9.03171973618, 6.229255574114, 3.773970377035, 1.838902170512];
const A_NUMPY = [
  [5.134064789868, 1.906121250005, -0.721650614744, 1.561126101512],
  [3.433089946561, 1.280753312412, -0.45629689376, 1.089675590946],
  [1.548666426353, 1.044976302458, 1.788737092499, 3.967555508292],
  [1.175982692452, 0.803598064372, 1.401368908981, 3.08786154054],
  [-0.448666929456, 0.544356101463, 3.09799525905, 5.152638925223],
];
const MSE_NUMPY = 0.7111239245689362;

describe('svdDemo', () => {
  const d = svdDemo();

  it('matches numpy: singular values, rank-2 reconstruction, MSE on the known ratings', () => {
    expect(d.S.length).toBe(4);
    for (const [i, s] of d.S.entries()) expect(s).toBeCloseTo(S_NUMPY[i]!, 10);
    for (const [i, row] of d.reconstruction.entries())
      for (const [j, v] of row.entries()) expect(v).toBeCloseTo(A_NUMPY[i]![j]!, 10);
    expect(d.mseKnown).toBeCloseTo(MSE_NUMPY, 12);
  });

  it('U Σ Vᵀ with all 4 factors gives R back', () => {
    const full = svdDemo(DEMO_R, 4);
    for (const [i, row] of full.reconstruction.entries())
      for (const [j, v] of row.entries()) expect(v).toBeCloseTo(DEMO_R[i]![j]!, 10);
    expect(full.mseKnown).toBeLessThan(1e-20);
  });

  it('prints the matrices', () => {
    const text = formatDemo(d);
    expect(text).toContain('Σ: 9.0317 6.2293 3.7740 1.8389');
    expect(text).toContain('MSE on the 13 known ratings: 0.7111');
  });
});
