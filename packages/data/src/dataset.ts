import { type Tensor, Tensor as TensorClass } from '@tsdl/tensor';
import { fail, fmtShape } from './errors.js';

/**
 * A map-style data set: `length` samples read with `get(i)` (PyTorch's `__len__` / `__getitem__`).
 * A subclass may also implement `getBatch(indices)`; DataLoader then uses it instead of
 * `get` + collate (TensorDataset does, gathering rows straight into one typed array per tensor).
 */
export abstract class Dataset<T> {
  abstract get length(): number;
  abstract get(index: number): T;
  /** Optional fast path: the collated batch of `indices` (same result as collating `get` of each). */
  getBatch?(indices: Int32Array): T;
}

/** Throws unless `index` is an integer in [0, length). */
export function checkIndex(op: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    fail(op, `index must be an integer in [0, ${length}), received ${index}`);
  }
}

/**
 * Samples are rows (first dimension) of the given tensors: `get(i)` is `[t0[i], t1[i], …]`
 * as views sharing storage, like `torch.utils.data.TensorDataset`.
 */
export class TensorDataset<T extends Tensor[] = Tensor[]> extends Dataset<T> {
  readonly tensors: T;
  private readonly rowSizes: number[];
  readonly #length: number;

  constructor(...tensors: T) {
    super();
    if (tensors.length === 0) fail('TensorDataset', 'needs at least one tensor, received none');
    const n = tensors[0]!.shape[0];
    tensors.forEach((t, k) => {
      if (!(t instanceof TensorClass)) fail('TensorDataset', `argument ${k} must be a Tensor`);
      if (t.ndim === 0)
        fail('TensorDataset', `tensor ${k} must have at least one dimension, received a 0-d tensor`);
      if (t.shape[0] !== n) {
        fail(
          'TensorDataset',
          `size mismatch between tensors: tensor 0 has ${n} rows (shape ${fmtShape(tensors[0]!.shape)}), tensor ${k} has shape ${fmtShape(t.shape)}`,
        );
      }
    });
    // Contiguous copies make rows plain subarrays, which is what the batch gather needs.
    this.tensors = tensors.map((t) => t.contiguous()) as T;
    this.rowSizes = this.tensors.map((t) => t.size / t.shape[0]! || 0);
    this.#length = n ?? 0;
  }

  get length(): number {
    return this.#length;
  }

  get(index: number): T {
    checkIndex('TensorDataset.get', index, this.#length);
    return this.tensors.map((t, k) => {
      const row = this.rowSizes[k]!;
      return new TensorClass(t.data, t.shape.slice(1), t.strides.slice(1), index * row);
    }) as T;
  }

  /** Rows `indices` of every tensor, copied into one fresh tensor each. */
  override getBatch(indices: Int32Array): T {
    for (const i of indices) checkIndex('TensorDataset.getBatch', i, this.#length);
    return this.tensors.map((t, k) => {
      const row = this.rowSizes[k]!;
      const src = t.data;
      const out = new (src.constructor as new (n: number) => typeof src)(indices.length * row);
      if (row === 1) {
        for (let j = 0; j < indices.length; j++) out[j] = src[indices[j]!]!;
      } else {
        for (let j = 0; j < indices.length; j++) {
          const s = indices[j]! * row;
          out.set(src.subarray(s, s + row) as never, j * row);
        }
      }
      return new TensorClass(out, [indices.length, ...t.shape.slice(1)]);
    }) as T;
  }
}

/** The samples of `dataset` at `indices` (what `randomSplit` returns), like `torch.utils.data.Subset`. */
export class Subset<T> extends Dataset<T> {
  readonly dataset: Dataset<T>;
  readonly indices: Int32Array;

  constructor(dataset: Dataset<T>, indices: Int32Array | readonly number[]) {
    super();
    this.dataset = dataset;
    this.indices = Int32Array.from(indices);
    for (const i of this.indices) checkIndex('Subset', i, dataset.length);
    // Keep the parent's fast batch path when it has one.
    if (dataset.getBatch) {
      const parent = dataset.getBatch.bind(dataset);
      this.getBatch = (idx: Int32Array): T => {
        const mapped = new Int32Array(idx.length);
        for (let j = 0; j < idx.length; j++) {
          checkIndex('Subset.getBatch', idx[j]!, this.indices.length);
          mapped[j] = this.indices[idx[j]!]!;
        }
        return parent(mapped);
      };
    }
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): T {
    checkIndex('Subset.get', index, this.indices.length);
    return this.dataset.get(this.indices[index]!);
  }
}
