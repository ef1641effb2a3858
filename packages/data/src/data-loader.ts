import { defaultGenerator, type Generator, randperm } from '@tsdl/tensor';
import { type Collated, defaultCollate } from './collate.js';
import type { Dataset } from './dataset.js';
import { fail } from './errors.js';

export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Draw a new permutation every epoch (default false: dataset order). */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Source of the permutations (default: tsdl's default generator). Seed it for a repeatable order. */
  generator?: Generator;
  /** Turns the samples of one batch into a batch (default: `defaultCollate`). */
  collate?: (samples: T[]) => B;
}

/** Runs `fn` in a later macrotask so it overlaps with whatever the consumer awaits meanwhile. */
const later: (fn: () => void) => void =
  typeof setImmediate === 'function'
    ? (fn) => setImmediate(fn)
    : typeof MessageChannel === 'function'
      ? (fn) => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => {
            ch.port1.close();
            fn();
          };
          ch.port2.postMessage(null);
        }
      : (fn) => setTimeout(fn, 0);

/**
 * Batches of a Dataset, like `torch.utils.data.DataLoader`. Iterate it with `for await` (the next
 * batch is built in a later task while the current one is used) or plain `for … of` (synchronous).
 * Each iteration is one epoch; with `shuffle` each epoch draws a fresh permutation from `generator`.
 */
export class DataLoader<T, B = Collated<T>> implements AsyncIterable<B>, Iterable<B> {
  readonly dataset: Dataset<T>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: Generator;
  private readonly collate: ((samples: T[]) => B) | undefined;

  constructor(dataset: Dataset<T>, options: DataLoaderOptions<T, B> = {}) {
    const {
      batchSize = 1,
      shuffle = false,
      dropLast = false,
      generator = defaultGenerator,
      collate,
    } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      fail('DataLoader', `batchSize must be a positive integer, received ${batchSize}`);
    }
    if (typeof dataset?.get !== 'function' || !Number.isInteger(dataset.length) || dataset.length < 0) {
      fail('DataLoader', 'dataset must be a Dataset (a non-negative integer length and get(i))');
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = generator;
    this.collate = collate;
  }

  /** Number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The sample order of one epoch (draws from the generator when shuffling). */
  private epochOrder(): Int32Array {
    const n = this.dataset.length;
    if (this.shuffle) return randperm(n, { generator: this.generator }).data as Int32Array;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return order;
  }

  private batch(order: Int32Array, b: number): B {
    const idx = order.subarray(b * this.batchSize, Math.min(order.length, (b + 1) * this.batchSize));
    if (!this.collate && this.dataset.getBatch) return this.dataset.getBatch(idx) as unknown as B;
    const samples: T[] = new Array(idx.length);
    for (let j = 0; j < idx.length; j++) samples[j] = this.dataset.get(idx[j]!);
    return this.collate ? this.collate(samples) : (defaultCollate(samples) as B);
  }

  *[Symbol.iterator](): Iterator<B> {
    const order = this.epochOrder();
    const nb = this.length;
    for (let b = 0; b < nb; b++) yield this.batch(order, b);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    const order = this.epochOrder();
    const nb = this.length;
    const build = (b: number): Promise<B> => {
      const p = new Promise<B>((resolve, reject) =>
        later(() => {
          try {
            resolve(this.batch(order, b));
          } catch (e) {
            reject(e);
          }
        }),
      );
      // A prefetched batch that is never awaited (loop left early) must not raise an unhandled rejection.
      p.catch(() => {});
      return p;
    };
    let next = nb > 0 ? build(0) : undefined;
    for (let b = 0; b < nb; b++) {
      const current = await next!;
      next = b + 1 < nb ? build(b + 1) : undefined;
      yield current;
    }
  }
}
