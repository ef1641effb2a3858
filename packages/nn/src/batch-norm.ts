// BatchNorm1d and BatchNorm2d: one normalisation over the channel axis (1), differing only in input rank.
import { batchNorm, type Input, toVariable, type Variable } from '@tsdl/autograd';
import * as T from '@tsdl/tensor';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface BatchNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Weight of the new batch in the running statistics (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale `weight` (ones) and shift `bias` (zeros) (default true). */
  affine?: boolean;
  /** Keep running_mean / running_var for eval (default true); without them eval uses batch statistics. */
  trackRunningStats?: boolean;
}

/**
 * Shared by BatchNorm1d and BatchNorm2d, like torch's _BatchNorm. State-dict names are PyTorch's:
 * weight, bias, running_mean, running_var, num_batches_tracked. num_batches_tracked is int64 in
 * PyTorch; tsdl has no int64, so it is an int32 scalar (loadStateDict converts an int64 one).
 * In training the running variance is updated with the unbiased batch variance, as PyTorch does,
 * while the batch itself is normalised with the biased one.
 */
abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  protected abstract readonly layer: string;
  /** Input ranks accepted, e.g. [2, 3] for BatchNorm1d. */
  protected abstract readonly ranks: readonly number[];

  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) {
      throw new Error(`BatchNorm: numFeatures must be a positive integer, received ${numFeatures}`);
    }
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    this.weight = this.affine ? new Parameter(T.ones([numFeatures])) : null;
    this.bias = this.affine ? new Parameter(T.zeros([numFeatures])) : null;
    this.registerParameter('weight', this.weight);
    this.registerParameter('bias', this.bias);
    const track = this.trackRunningStats;
    this.registerBuffer('running_mean', track ? T.zeros([numFeatures]) : null);
    this.registerBuffer('running_var', track ? T.ones([numFeatures]) : null);
    this.registerBuffer('num_batches_tracked', track ? T.zeros([], { dtype: 'int32' }) : null);
  }

  get runningMean(): T.Tensor | null {
    return this.getBuffer('running_mean') ?? null;
  }
  get runningVar(): T.Tensor | null {
    return this.getBuffer('running_var') ?? null;
  }
  get numBatchesTracked(): number {
    return this.getBuffer('num_batches_tracked')?.item() ?? 0;
  }

  /** Zeros the running mean, sets the running variance to one and the batch count to zero. */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    this.setBuffer('running_mean', T.zeros([this.numFeatures]));
    this.setBuffer('running_var', T.ones([this.numFeatures]));
    this.setBuffer('num_batches_tracked', T.zeros([], { dtype: 'int32' }));
  }

  forward(input: Input): Variable {
    const x = toVariable(input);
    if (!this.ranks.includes(x.ndim) || x.shape[1] !== this.numFeatures) {
      const want = this.ranks.map((r) => `${r}-D`).join(' or ');
      throw new Error(
        `${this.layer}: expected ${want} input with ${this.numFeatures} channels on axis 1, received shape [${x.shape.join(',')}]`,
      );
    }
    const useBatchStats = this.training || !this.trackRunningStats;
    if (this.training) {
      const perChannel = x.size / this.numFeatures;
      if (perChannel <= 1) {
        throw new Error(
          `${this.layer}: training needs more than one value per channel, received input of shape [${x.shape.join(',')}]`,
        );
      }
      if (this.trackRunningStats) this.updateRunningStats(x.data);
    }
    // The op never updates running statistics (done above); it reads them only in eval.
    const rm = useBatchStats ? null : this.runningMean;
    const rv = useBatchStats ? null : this.runningVar;
    return batchNorm(x, rm, rv, this.weight, this.bias, {
      training: useBatchStats,
      momentum: this.momentum ?? 0,
      eps: this.eps,
    });
  }

  private updateRunningStats(x: T.Tensor): void {
    const stats = T.batchNormStats(x);
    const mean = stats.mean;
    const unbiased = T.mul(stats.var, stats.count / Math.max(stats.count - 1, 0));
    const count = this.numBatchesTracked + 1;
    this.setBuffer('num_batches_tracked', T.full([], count, { dtype: 'int32' }));
    const m = this.momentum ?? 1 / count; // null momentum: cumulative moving average
    const blend = (old: T.Tensor, batch: T.Tensor) => T.add(T.mul(old, 1 - m), T.mul(batch.to(old.dtype), m));
    this.setBuffer('running_mean', blend(this.runningMean!, mean));
    this.setBuffer('running_var', blend(this.runningVar!, unbiased));
  }
}

/** Batch normalisation of [N, C] or [N, C, L] input over N (and L), like torch.nn.BatchNorm1d. */
export class BatchNorm1d extends BatchNormBase {
  protected readonly layer = 'BatchNorm1d';
  protected readonly ranks = [2, 3];
}

/** Batch normalisation of [N, C, H, W] input over N, H and W, like torch.nn.BatchNorm2d. */
export class BatchNorm2d extends BatchNormBase {
  protected readonly layer = 'BatchNorm2d';
  protected readonly ranks = [4];
}
