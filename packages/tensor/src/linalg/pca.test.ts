import { describe, expect, it } from 'vitest';
import { Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { pca } from './pca.js';
import { f64, maxDiff, orthoError, randomMatrix } from './test-utils/checks.js';

// 10 samples × 3 features.
const X = f64([
  [2.5, 2.4, 0.5],
  [0.5, 0.7, 1.1],
  [2.2, 2.9, 0.3],
  [1.9, 2.2, 0.8],
  [3.1, 3.0, 0.2],
  [2.3, 2.7, 0.9],
  [2.0, 1.6, 1.4],
  [1.0, 1.1, 1.0],
  [1.5, 1.6, 0.6],
  [1.1, 0.9, 1.3],
]);

describe('linalg.pca', () => {
  it('matches scikit-learn on a small fixed matrix', () => {
    // /usr/bin/python3 -c "import numpy as np; from sklearn.decomposition import PCA; X = np.array([[2.5,2.4,0.5],
    //   [0.5,0.7,1.1],[2.2,2.9,0.3],[1.9,2.2,0.8],[3.1,3.0,0.2],[2.3,2.7,0.9],[2.0,1.6,1.4],[1.0,1.1,1.0],
    //   [1.5,1.6,0.6],[1.1,0.9,1.3]]); p = PCA(n_components=2, svd_solver='full').fit(X);
    //   print(p.explained_variance_ratio_.tolist(), p.explained_variance_.tolist(), p.singular_values_.tolist(),
    //   p.components_.tolist(), p.mean_.tolist())"   (scikit-learn 1.2)
    const p = pca(X, 2);
    expect(maxDiff(p.explainedVarianceRatio, [0.9183024866473023, 0.05976784430881834])).toBeLessThan(1e-13);
    expect(maxDiff(p.explainedVariance, [1.3761272930457957, 0.08956543513255918])).toBeLessThan(1e-13);
    expect(maxDiff(p.singularValues, [3.519253562534556, 0.8978245464415822])).toBeLessThan(1e-13);
    expect(maxDiff(p.mean, [1.81, 1.91, 0.81])).toBeLessThan(1e-14);
    // Same signs as scikit-learn's svd_flip.
    expect(
      maxDiff(
        p.components,
        [
          -0.649540373740782, -0.7123032500827678, 0.2659349221185734, 0.5469983332037851,
          -0.19484471269074843, 0.8141427156271439,
        ],
      ),
    ).toBeLessThan(1e-12);
    expect(p.components.shape).toEqual([2, 3]);
    expect(p.nComponents).toBe(2);
    expect(p.transform(X).shape).toEqual([10, 2]);
  });

  it('round-trips transform / inverseTransform with k = full rank', () => {
    const x = randomMatrix(20, 6, 8);
    const p = pca(x);
    expect(p.nComponents).toBe(6);
    expect(maxDiff(p.inverseTransform(p.transform(x)), x)).toBeLessThan(1e-12);
    expect(orthoError(p.components, true)).toBeLessThan(1e-12);
    const total = Array.from(p.explainedVarianceRatio.toTypedArray()).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 14);
    // Scores are centred and uncorrelated with variances = explainedVariance.
    const z = p.transform(x);
    for (let c = 0; c < 6; c++) {
      let mean = 0;
      let v = 0;
      for (let i = 0; i < 20; i++) mean += z.get(i, c) / 20;
      for (let i = 0; i < 20; i++) v += z.get(i, c) ** 2 / 19;
      expect(Math.abs(mean)).toBeLessThan(1e-13);
      expect(v).toBeCloseTo(p.explainedVariance.get(c), 12);
    }
  });

  it('reduces dimension: a rank-1 cloud is explained by one component', () => {
    const t = [1, 2, 3, 4, 5, 6];
    const x = new Tensor(Float64Array.from(t.flatMap((v) => [v, 2 * v + 1, -v])), [6, 3]);
    const p = pca(x, 1);
    expect(p.explainedVarianceRatio.get(0)).toBeCloseTo(1, 14);
    expect(maxDiff(p.inverseTransform(p.transform(x)), x)).toBeLessThan(1e-13);
  });

  it('randomized solver agrees with the full one on a low-rank-plus-noise matrix', () => {
    const g = new Generator(3);
    const base = randomMatrix(600, 5, 1);
    const mix = randomMatrix(5, 40, 2);
    const data = new Float64Array(600 * 40);
    for (let i = 0; i < 600; i++)
      for (let j = 0; j < 40; j++) {
        let s = 0.01 * g.normal();
        for (let r = 0; r < 5; r++) s += base.get(i, r) * mix.get(r, j);
        data[i * 40 + j] = s;
      }
    const x = new Tensor(data, [600, 40]);
    const full = pca(x, 5, { svdSolver: 'full' });
    const rnd = pca(x, 5, { svdSolver: 'randomized', generator: new Generator(0) });
    expect(maxDiff(rnd.explainedVarianceRatio, full.explainedVarianceRatio)).toBeLessThan(1e-9);
    expect(maxDiff(rnd.components, full.components)).toBeLessThan(1e-6);
  });

  it('rejects bad k, too few samples and mismatched features naming the op', () => {
    expect(() => pca(X, 4)).toThrow(/pca: k must be an integer in \[1, 3\]/);
    expect(() => pca(f64([[1, 2, 3]]))).toThrow(/pca: x needs at least 2 samples/);
    expect(() => pca(X, 2).transform(f64([[1, 2]]))).toThrow(/PCA.transform: x must have 3 features/);
    expect(() => pca(X, 2).inverseTransform(f64([[1, 2, 3]]))).toThrow(
      /PCA.inverseTransform: z must have 2 columns/,
    );
  });
});
