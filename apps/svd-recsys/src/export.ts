import { noGrad } from '@tsdl/autograd';
import { exportOnnx, OnnxSession } from '@tsdl/onnx-export';
import { Generator, Tensor } from '@tsdl/tensor';
import type { FactorModel } from './factor-model.js';
import { BiasedMF, RatingModel, TopKModel } from './mf.js';

/** Added to the scores of items a user already rated, so the top-K model never returns them. */
export const EXCLUDE = -1e9;

export interface ExportedModels {
  /** (user [B] int32, item [B] int32) → rating [B] float32, clipped to [0.5, 5]. */
  rating: Uint8Array;
  /** (user [B] int32, mask [B, nItems] float32) → scores [B, K], items [B, K] int32. */
  topk: Uint8Array;
  ratingModel: RatingModel;
  topkModel: TopKModel;
}

/** Both ONNX graphs of a factor model (mf or svd), built by tracing the nn Modules. */
export function exportFactorModel(f: FactorModel, topK = 10): ExportedModels {
  const mf = BiasedMF.fromFactorModel(f);
  const nItems = f.itemIds.length;
  const ratingModel = new RatingModel(mf);
  const topkModel = new TopKModel(mf, topK);
  const pair = [new Tensor(Int32Array.of(0), [1]), new Tensor(Int32Array.of(0), [1])];
  const rating = exportOnnx(ratingModel, pair, {
    inputNames: ['user', 'item'],
    outputNames: ['rating'],
    docString: `${f.name} recommender (k = ${f.k}): predicted rating of (user index, item index) pairs; indices are rows of user_ids/item_ids in the safetensors file`,
  });
  const topk = exportOnnx(
    topkModel,
    [new Tensor(Int32Array.of(0), [1]), new Tensor(new Float32Array(nItems), [1, nItems])],
    {
      inputNames: ['user', 'mask'],
      outputNames: ['scores', 'items'],
      docString: `${f.name} recommender (k = ${f.k}): the ${topK} best item indices per user; mask is added to the scores (${EXCLUDE} for items to leave out, 0 otherwise)`,
    },
  );
  return { rating, topk, ratingModel, topkModel };
}

export interface ParityReport {
  pairs: number;
  maxRatingDiff: number;
  users: number;
  maxTopkScoreDiff: number;
  sameTopkIds: boolean;
}

/**
 * Runs both exported graphs in onnxruntime-node and tsdl on the same random (seeded) users and
 * pairs, with a random mask, and compares.
 */
export async function onnxParity(
  e: ExportedModels,
  nUsers: number,
  nItems: number,
  opts: { pairs?: number; users?: number; seed?: number } = {},
): Promise<ParityReport> {
  const g = new Generator(opts.seed ?? 0);
  const nPairs = opts.pairs ?? 1000;
  const nu = Math.min(opts.users ?? 32, nUsers);
  const pu = new Int32Array(nPairs).map(() => Math.floor(g.random() * nUsers));
  const pi = new Int32Array(nPairs).map(() => Math.floor(g.random() * nItems));
  const users = new Int32Array(nu).map(() => Math.floor(g.random() * nUsers));
  const mask = new Float32Array(nu * nItems).map(() => (g.random() < 0.05 ? EXCLUDE : 0));

  const feedsR = { user: new Tensor(pu, [nPairs]), item: new Tensor(pi, [nPairs]) };
  const feedsT = { user: new Tensor(users, [nu]), mask: new Tensor(mask, [nu, nItems]) };
  const ours = noGrad(() => ({
    rating: e.ratingModel.forward(feedsR.user, feedsR.item).data.toTypedArray(),
    topk: e.topkModel.forward(feedsT.user, feedsT.mask).map((v) => v.data.toTypedArray()),
  }));
  const sr = await OnnxSession.create(e.rating, { backend: 'node' });
  const st = await OnnxSession.create(e.topk, { backend: 'node' });
  try {
    const r = (await sr.run(feedsR)).rating!.toTypedArray();
    const t = await st.run(feedsT);
    const sc = t.scores!.toTypedArray();
    const ids = t.items!.toTypedArray();
    let maxRatingDiff = 0;
    for (let j = 0; j < nPairs; j++)
      maxRatingDiff = Math.max(maxRatingDiff, Math.abs(r[j]! - ours.rating[j]!));
    let maxTopkScoreDiff = 0;
    let sameTopkIds = ids.length === ours.topk[1]!.length;
    for (let j = 0; j < ids.length; j++) {
      maxTopkScoreDiff = Math.max(maxTopkScoreDiff, Math.abs(sc[j]! - ours.topk[0]![j]!));
      if (ids[j] !== ours.topk[1]![j]) sameTopkIds = false;
    }
    return { pairs: nPairs, maxRatingDiff, users: nu, maxTopkScoreDiff, sameTopkIds };
  } finally {
    await sr.release();
    await st.release();
  }
}
