import { Tensor } from '@tsdl/tensor';
import { fail } from './errors.js';

/** An item identifier. Ids are compared with ===, so 3 and '3' differ (except for record keys, see Relevance). */
export type ItemId = number | string;

/**
 * One user's relevant items:
 * - binary relevance: a Set, an array/typed array or a 1-d Tensor of item ids (each has gain 1);
 * - graded relevance: a Map id → gain, or a record { [id]: gain } (record keys are strings, so ids
 *   from the ranked list are looked up as String(id)). Gains must be finite and ≥ 0; a gain of 0
 *   means not relevant.
 */
export type Relevance =
  | ReadonlySet<ItemId>
  | readonly ItemId[]
  | ArrayLike<number>
  | Tensor
  | ReadonlyMap<ItemId, number>
  | Readonly<Record<string, number>>;

/** One user's recommendations, best first: an array/typed array of ids or a 1-d Tensor of ids. */
export type Ranking = readonly ItemId[] | ArrayLike<number> | Tensor;

/**
 * Batch form: one Relevance per user, and one Ranking per user (an array of lists, or a 2-d Tensor
 * [users, k] such as the indices of a top-k).
 */
export type BatchRanking = readonly Ranking[] | Tensor;

interface Gains {
  gain(id: ItemId): number;
  /** Positive gains of all relevant items (the ideal ranking's material). */
  positives: number[];
}

function isPlainList(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

function toGains(fn: string, arg: string, r: Relevance): Gains {
  const binary = (ids: Iterable<ItemId>): Gains => {
    const set = new Set(ids);
    return { gain: (id) => (set.has(id) ? 1 : 0), positives: new Array<number>(set.size).fill(1) };
  };
  if (r instanceof Set) return binary(r as ReadonlySet<ItemId>);
  if (r instanceof Tensor) {
    if (r.ndim !== 1) fail(fn, `${arg} must be a 1-d tensor of item ids, received ${r.ndim}-d`);
    return binary(r.toTypedArray());
  }
  if (isPlainList(r)) return binary(Array.from(r as ArrayLike<ItemId>));
  const graded = (entries: Iterable<[ItemId, number]>, key: (id: ItemId) => ItemId): Gains => {
    const map = new Map<ItemId, number>();
    for (const [id, g] of entries) {
      if (typeof g !== 'number' || !Number.isFinite(g) || g < 0) {
        fail(fn, `${arg} gains must be finite numbers ≥ 0, received ${String(g)} for item ${String(id)}`);
      }
      map.set(id, g);
    }
    return { gain: (id) => map.get(key(id)) ?? 0, positives: [...map.values()].filter((g) => g > 0) };
  };
  if (r instanceof Map) return graded(r as ReadonlyMap<ItemId, number>, (id) => id);
  if (typeof r === 'object' && r !== null) return graded(Object.entries(r), (id) => String(id));
  fail(fn, `${arg} must be a Set, array, Tensor, Map or record of item ids, received ${typeof r}`);
}

function toIds(fn: string, arg: string, x: Ranking): ItemId[] {
  if (x instanceof Tensor) {
    if (x.ndim !== 1) fail(fn, `${arg} must be a 1-d tensor of item ids, received ${x.ndim}-d`);
    return Array.from(x.toTypedArray());
  }
  if (!isPlainList(x)) fail(fn, `${arg} must be an array or Tensor of item ids, received ${typeof x}`);
  return Array.from(x as ArrayLike<ItemId>);
}

interface UserScores {
  precision: number;
  recall: number;
  ndcg: number;
}

/** log2 discount 1 / log2(rank + 1) written the way scikit-learn evaluates it. */
function discount(i: number): number {
  return 1 / (Math.log(i + 2) / Math.LN2);
}

function scoreUser(fn: string, rel: Gains, ranked: ItemId[], k: number, arg: string): UserScores {
  const top = ranked.slice(0, k);
  const seen = new Set<ItemId>();
  let hits = 0;
  let dcg = 0;
  for (let i = 0; i < top.length; i++) {
    const id = top[i]!;
    if (seen.has(id))
      fail(fn, `${arg} lists item ${String(id)} twice in its top ${k}; a ranking must not repeat items`);
    seen.add(id);
    const g = rel.gain(id);
    if (g > 0) hits++;
    dcg += g * discount(i);
  }
  const ideal = [...rel.positives].sort((a, b) => b - a).slice(0, k);
  let idcg = 0;
  for (let i = 0; i < ideal.length; i++) idcg += ideal[i]! * discount(i);
  return {
    precision: hits / k,
    recall: rel.positives.length === 0 ? 0 : hits / rel.positives.length,
    ndcg: idcg === 0 ? 0 : dcg / idcg,
  };
}

function isBatch(ranked: Ranking | BatchRanking): boolean {
  if (ranked instanceof Tensor) return ranked.ndim === 2;
  if (!Array.isArray(ranked) || ranked.length === 0) return false;
  const first: unknown = ranked[0];
  return typeof first === 'object' && first !== null;
}

function evaluate(
  fn: string,
  relevant: Relevance | readonly Relevance[],
  ranked: Ranking | BatchRanking,
  k: number,
  pick: (s: UserScores) => number,
): number {
  if (!Number.isInteger(k) || k < 1) fail(fn, `k must be a positive integer, received ${k}`);
  if (!isBatch(ranked)) {
    if (
      Array.isArray(relevant) &&
      relevant.length > 0 &&
      typeof relevant[0] === 'object' &&
      relevant[0] !== null
    ) {
      fail(
        fn,
        'relevant is a batch (one collection per user) but ranked is a single list; pass one list per user',
      );
    }
    return pick(
      scoreUser(
        fn,
        toGains(fn, 'relevant', relevant as Relevance),
        toIds(fn, 'ranked', ranked as Ranking),
        k,
        'ranked',
      ),
    );
  }
  let lists: Ranking[];
  if (ranked instanceof Tensor) {
    const flat = ranked.toTypedArray();
    const cols = ranked.shape[1]!;
    lists = Array.from({ length: ranked.shape[0]! }, (_, u) => flat.subarray(u * cols, (u + 1) * cols));
  } else {
    lists = [...(ranked as readonly Ranking[])];
  }
  if (!Array.isArray(relevant))
    fail(
      fn,
      `ranked holds ${lists.length} users, so relevant must be an array of ${lists.length} per-user collections`,
    );
  const rels = relevant as readonly Relevance[];
  if (rels.length !== lists.length)
    fail(fn, `relevant has ${rels.length} users but ranked has ${lists.length}; expected ${lists.length}`);
  let sum = 0;
  for (let u = 0; u < lists.length; u++) {
    const rel = toGains(fn, `relevant[${u}]`, rels[u]!);
    sum += pick(scoreUser(fn, rel, toIds(fn, `ranked[${u}]`, lists[u]!), k, `ranked[${u}]`));
  }
  return sum / lists.length;
}

/**
 * Precision@k: (relevant items among the first k recommended) / k. The denominator is k even when
 * fewer than k items were recommended. Batch form: the mean over users.
 */
export function precisionAtK(
  relevant: Relevance | readonly Relevance[],
  ranked: Ranking | BatchRanking,
  k: number,
): number {
  return evaluate('precisionAtK', relevant, ranked, k, (s) => s.precision);
}

/**
 * Recall@k: (relevant items among the first k recommended) / (number of relevant items); 0 for a user
 * with no relevant items. Batch form: the mean over users (such users included, as 0).
 */
export function recallAtK(
  relevant: Relevance | readonly Relevance[],
  ranked: Ranking | BatchRanking,
  k: number,
): number {
  return evaluate('recallAtK', relevant, ranked, k, (s) => s.recall);
}

/**
 * NDCG@k with linear gains and a log2 discount, like scikit-learn's ndcg_score:
 * DCG@k = Σ_{i<k} gain(ranked[i]) / log2(i + 2), IDCG@k = DCG@k of the relevant items sorted by
 * gain, NDCG = DCG / IDCG, and 0 when the user has no relevant item (IDCG = 0). Binary relevance
 * uses gain 1. Batch form: the mean over users, users without relevant items counting as 0 exactly
 * as in ndcg_score (filter them out first for the "users with a test item" convention).
 */
export function ndcgAtK(
  relevant: Relevance | readonly Relevance[],
  ranked: Ranking | BatchRanking,
  k: number,
): number {
  return evaluate('ndcgAtK', relevant, ranked, k, (s) => s.ndcg);
}
