import { fail, fmtShape } from '../errors.js';
import type { Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { matTensor, toMat } from './dense.js';
import { svdData } from './svd.js';
import { truncatedSvd } from './truncated-svd.js';

export interface PcaOptions {
  /**
   * 'full': exact SVD of the centred data. 'randomized': `truncatedSvd` (approximate, for large data).
   * 'auto' (default) follows scikit-learn: full when max(samples, features) ≤ 500 or k ≥ 0.8·min(samples, features).
   */
  svdSolver?: 'auto' | 'full' | 'randomized';
  /** Random source for the randomized solver (default: the global generator). */
  generator?: Generator;
}

/**
 * A fitted principal component analysis, like scikit-learn's `PCA` (whiten=False) after `fit`.
 * All tensors are float64.
 */
export class PCA {
  /** Principal axes as rows, [k, features], sorted by explained variance. */
  readonly components: Tensor;
  /** Variance along each component (S² / (samples − 1)), [k]. */
  readonly explainedVariance: Tensor;
  /** Fraction of the total variance along each component, [k] (0 for constant data, where scikit-learn gives NaN). */
  readonly explainedVarianceRatio: Tensor;
  /** Singular values of the centred data for each component, [k]. */
  readonly singularValues: Tensor;
  /** Per-feature mean subtracted before projecting, [features]. */
  readonly mean: Tensor;
  readonly nComponents: number;
  readonly nFeatures: number;
  readonly nSamples: number;

  constructor(init: {
    components: Tensor;
    explainedVariance: Tensor;
    explainedVarianceRatio: Tensor;
    singularValues: Tensor;
    mean: Tensor;
    nSamples: number;
  }) {
    this.components = init.components;
    this.explainedVariance = init.explainedVariance;
    this.explainedVarianceRatio = init.explainedVarianceRatio;
    this.singularValues = init.singularValues;
    this.mean = init.mean;
    this.nComponents = init.components.shape[0]!;
    this.nFeatures = init.components.shape[1]!;
    this.nSamples = init.nSamples;
  }

  /** Projects samples [s, features] onto the components: (x − mean) · componentsᵀ → [s, k]. */
  transform(x: Tensor): Tensor {
    const X = toMat('PCA.transform', 'x', x);
    if (X.cols !== this.nFeatures) {
      fail(
        'PCA.transform',
        `x must have ${this.nFeatures} features (columns), received shape ${fmtShape(x.shape)}`,
      );
    }
    const k = this.nComponents;
    const f = this.nFeatures;
    const C = this.components.data as Float64Array;
    const mu = this.mean.data as Float64Array;
    const out = new Float64Array(X.rows * k);
    for (let i = 0; i < X.rows; i++) {
      for (let j = 0; j < f; j++) {
        const v = X.data[i * f + j]! - mu[j]!;
        if (v === 0) continue;
        for (let c = 0; c < k; c++) out[i * k + c]! += v * C[c * f + j]!;
      }
    }
    return matTensor(out, X.rows, k);
  }

  /** Maps component scores [s, k] back to feature space: z · components + mean → [s, features]. */
  inverseTransform(z: Tensor): Tensor {
    const Z = toMat('PCA.inverseTransform', 'z', z);
    if (Z.cols !== this.nComponents) {
      fail(
        'PCA.inverseTransform',
        `z must have ${this.nComponents} columns (components), received shape ${fmtShape(z.shape)}`,
      );
    }
    const k = this.nComponents;
    const f = this.nFeatures;
    const C = this.components.data as Float64Array;
    const mu = this.mean.data as Float64Array;
    const out = new Float64Array(Z.rows * f);
    for (let i = 0; i < Z.rows; i++) {
      out.set(mu, i * f);
      for (let c = 0; c < k; c++) {
        const v = Z.data[i * k + c]!;
        if (v === 0) continue;
        for (let j = 0; j < f; j++) out[i * f + j]! += v * C[c * f + j]!;
      }
    }
    return matTensor(out, Z.rows, f);
  }
}

/**
 * Fits a PCA with k components (default min(samples, features)) to `x` [samples, features], any dtype.
 * Like scikit-learn: centre the columns, take the SVD of the centred data, keep the top k right
 * singular vectors as components. Signs follow scikit-learn's `svd_flip` (the largest-magnitude entry
 * of each left singular vector positive), so components usually match scikit-learn's exactly.
 */
export function pca(x: Tensor, k?: number, opts: PcaOptions = {}): PCA {
  const X = toMat('pca', 'x', x);
  const { rows: s, cols: f } = X;
  if (s < 2) fail('pca', `x needs at least 2 samples (rows), received shape ${fmtShape(x.shape)}`);
  const r = Math.min(s, f);
  const nc = k ?? r;
  if (!Number.isInteger(nc) || nc < 1 || nc > r) {
    fail('pca', `k must be an integer in [1, ${r}] = [1, min(samples, features)], received ${k}`);
  }
  const solver = opts.svdSolver ?? 'auto';
  if (solver !== 'auto' && solver !== 'full' && solver !== 'randomized') {
    fail('pca', `svdSolver must be 'auto', 'full' or 'randomized', received ${String(solver)}`);
  }
  const randomized = solver === 'randomized' || (solver === 'auto' && Math.max(s, f) > 500 && nc < 0.8 * r);

  // Centre the columns; the total variance comes from the centred data so partial solvers get the ratio right.
  const mean = new Float64Array(f);
  for (let i = 0; i < s; i++) for (let j = 0; j < f; j++) mean[j]! += X.data[i * f + j]!;
  for (let j = 0; j < f; j++) mean[j]! /= s;
  let total = 0;
  for (let i = 0; i < s; i++) {
    for (let j = 0; j < f; j++) {
      const v = X.data[i * f + j]! - mean[j]!;
      X.data[i * f + j] = v;
      total += v * v;
    }
  }
  total /= s - 1;

  let S: Float64Array;
  let components: Float64Array;
  if (randomized) {
    const t = truncatedSvd(matTensor(X.data, s, f), nc, {
      powerIters: nc < 0.1 * r ? 7 : 4, // scikit-learn's n_iter='auto'
      ...(opts.generator ? { generator: opts.generator } : {}),
    });
    S = t.S.data as Float64Array;
    components = t.Vh.data as Float64Array;
  } else {
    const d = svdData(X, false);
    S = d.S.slice(0, nc);
    components = d.Vh!.slice(0, nc * f);
  }
  const ev = S.map((v) => (v * v) / (s - 1));
  const ratio = ev.map((v) => (total > 0 ? v / total : 0));
  return new PCA({
    components: matTensor(components, nc, f),
    explainedVariance: new Tensor(ev, [nc]),
    explainedVarianceRatio: new Tensor(ratio, [nc]),
    singularValues: new Tensor(S, [nc]),
    mean: new Tensor(mean, [f]),
    nSamples: s,
  });
}
