import { type FactorModel, predict, scoreAll } from './factor-model.js';
import type { TrainSet } from './ratings.js';

export interface Recommendation {
  movieId: number;
  title: string;
  predicted: number;
  score: number;
}

const titleOf = (titles: Map<number, string>, id: number) => titles.get(id) ?? `movie ${id}`;

/** The k best items the user has not rated, by unclipped score (the predicted rating is shown clipped). */
export function recommend(
  model: FactorModel,
  train: TrainSet,
  titles: Map<number, string>,
  userId: number,
  k: number,
): Recommendation[] {
  const u = train.userIndex.get(userId);
  if (u === undefined) {
    const some = Array.from(train.userIds.slice(0, 5)).join(', ');
    throw new Error(`--user: no ratings for user ${userId} in the training data (user ids such as ${some})`);
  }
  const scores = scoreAll(model, u, new Float64Array(train.nItems));
  for (let j = 0; j < train.users.length; j++)
    if (train.users[j] === u) scores[train.items[j]!] = Number.NEGATIVE_INFINITY;
  const order = Array.from(scores.keys()).filter((i) => scores[i] !== Number.NEGATIVE_INFINITY);
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return order.slice(0, k).map((i) => {
    const movieId = model.itemIds[i]!;
    return { movieId, title: titleOf(titles, movieId), predicted: predict(model, u, i), score: scores[i]! };
  });
}

/** Finds a movie by exact title, else by a unique case-insensitive substring. */
export function findMovie(titles: Map<number, string>, train: TrainSet, query: string): number {
  const q = query.toLowerCase();
  const hits: [number, string][] = [];
  for (const [id, t] of titles) {
    if (!train.itemIndex.has(id)) continue;
    if (t === query) return id;
    if (t.toLowerCase().includes(q)) hits.push([id, t]);
  }
  if (hits.length === 1) return hits[0]![0];
  if (hits.length === 0) throw new Error(`--movie: no rated movie title contains '${query}'`);
  const exactish = hits.filter(([, t]) => t.toLowerCase().startsWith(q));
  if (exactish.length === 1) return exactish[0]![0];
  throw new Error(
    `--movie: '${query}' matches ${hits.length} titles, e.g. ${hits
      .slice(0, 5)
      .map(([, t]) => `'${t}'`)
      .join(', ')}; give more of the title`,
  );
}

/** Items whose factor vectors have the highest cosine similarity with the given movie's. */
export function similar(
  model: FactorModel,
  train: TrainSet,
  titles: Map<number, string>,
  movieId: number,
  k: number,
  minRatings = 20,
): { movieId: number; title: string; cosine: number }[] {
  if (model.k === 0)
    throw new Error('similar: the baseline model has no item factors; use --model mf or svd');
  const target = train.itemIndex.get(movieId)!;
  const counts = new Int32Array(train.nItems);
  for (let j = 0; j < train.items.length; j++) counts[train.items[j]!]! += 1;
  const K = model.k;
  const norm = (i: number) => Math.hypot(...model.Q.subarray(i * K, (i + 1) * K));
  const nt = norm(target);
  const out: { movieId: number; title: string; cosine: number }[] = [];
  for (let i = 0; i < train.nItems; i++) {
    if (i === target || counts[i]! < minRatings) continue; // rarely rated items have noisy factors
    let dot = 0;
    for (let c = 0; c < K; c++) dot += model.Q[target * K + c]! * model.Q[i * K + c]!;
    const id = model.itemIds[i]!;
    out.push({ movieId: id, title: titleOf(titles, id), cosine: dot / (nt * norm(i) || 1) });
  }
  return out.sort((a, b) => b.cosine - a.cosine).slice(0, k);
}
