import { scatterChart } from '@tsdl/app-kit';
import { linalg, Tensor } from '@tsdl/tensor';
import type { FactorModel } from './factor-model.js';
import type { TrainSet } from './ratings.js';

/** Titles labelled on the map when present (MovieLens spelling). */
export const WELL_KNOWN = [
  'Toy Story (1995)',
  'Lion King, The (1994)',
  'Aladdin (1992)',
  'Star Wars: Episode IV - A New Hope (1977)',
  'Matrix, The (1999)',
  'Terminator 2: Judgment Day (1991)',
  'Jurassic Park (1993)',
  'Pulp Fiction (1994)',
  'Fargo (1996)',
  'Godfather, The (1972)',
  'Shawshank Redemption, The (1994)',
  "Schindler's List (1993)",
  'Silence of the Lambs, The (1991)',
  'Forrest Gump (1994)',
  'Titanic (1997)',
  'Pretty Woman (1990)',
  'Sleepless in Seattle (1993)',
  'Ace Ventura: Pet Detective (1994)',
  'Dumb & Dumber (Dumb and Dumber) (1994)',
  '2001: A Space Odyssey (1968)',
  'Blade Runner (1982)',
];

/**
 * PCA of the item factors Q (items × k) to 2-D: movies that the model treats alike land close.
 * Only items with at least `minRatings` training ratings are drawn (rarely rated ones sit near the
 * origin, their factors barely moved from the initialisation).
 */
export function movieMap(
  model: FactorModel,
  train: TrainSet,
  titles: Map<number, string>,
  minRatings = 20,
): { svg: string; explained: number[] } {
  const counts = new Int32Array(train.nItems);
  for (let j = 0; j < train.items.length; j++) counts[train.items[j]!]! += 1;
  const keep: number[] = [];
  for (let i = 0; i < train.nItems; i++) if (counts[i]! >= minRatings) keep.push(i);
  const k = model.k;
  const X = new Float64Array(keep.length * k);
  for (const [r, i] of keep.entries()) X.set(model.Q.subarray(i * k, (i + 1) * k), r * k);
  const p = linalg.pca(new Tensor(X, [keep.length, k]), 2);
  const Z = p.transform(new Tensor(X, [keep.length, k])).toTypedArray();
  const wanted = new Set(WELL_KNOWN);
  const points = keep.map((i, r) => {
    const title = titles.get(model.itemIds[i]!);
    return { x: Z[r * 2]!, y: Z[r * 2 + 1]!, ...(title && wanted.has(title) ? { label: title } : {}) };
  });
  const ev = Array.from(p.explainedVarianceRatio.toTypedArray());
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const svg = scatterChart(points, {
    title: `${model.name}: item factors (k = ${k}) projected on 2 principal components, ${keep.length} movies with ≥ ${minRatings} ratings`,
    xLabel: `PC1 (${pct(ev[0]!)} of the variance)`,
    yLabel: `PC2 (${pct(ev[1]!)} of the variance)`,
  });
  return { svg, explained: ev };
}
