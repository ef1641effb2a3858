import { Tensor } from '@tsdl/tensor';
import { fail, fmtShape } from './errors.js';

/** What default collation makes of a sample type: tensors and numbers stack into one tensor. */
export type Collated<T> = T extends Tensor | number
  ? Tensor
  : T extends string
    ? string[]
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { [K in keyof T]: Collated<T[K]> }
        : T[];

/**
 * Stacks samples into a batch like PyTorch's `default_collate`: tensors of equal shape and dtype
 * become one `[n, ...shape]` tensor; numbers a `[n]` tensor (int32 when all are integers, else
 * float32); strings a string[]; arrays and plain objects are collated position by position / key by key.
 */
export function defaultCollate<T>(samples: readonly T[]): Collated<T> {
  if (samples.length === 0) fail('collate', 'received an empty batch');
  return collateAt(samples as readonly unknown[], 'batch') as Collated<T>;
}

function collateAt(samples: readonly unknown[], where: string): unknown {
  const first = samples[0];
  if (first instanceof Tensor) return stackTensors(samples, where);
  if (typeof first === 'number') {
    const nums = samples.map((s, j) => {
      if (typeof s !== 'number')
        fail('collate', `${where}: sample ${j} is ${typeof s} but sample 0 is a number`);
      return s;
    });
    const ints = nums.every((v) => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647);
    return new Tensor(ints ? Int32Array.from(nums) : Float32Array.from(nums), [nums.length]);
  }
  if (typeof first === 'string') return samples.map((s) => String(s));
  if (Array.isArray(first)) {
    return first.map((_, k) =>
      collateAt(
        samples.map((s, j) => {
          if (!Array.isArray(s) || s.length !== first.length) {
            fail('collate', `${where}: sample ${j} is not an array of ${first.length} items like sample 0`);
          }
          return s[k];
        }),
        `${where}[${k}]`,
      ),
    );
  }
  if (first !== null && typeof first === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      out[key] = collateAt(
        samples.map((s) => (s as Record<string, unknown>)[key]),
        `${where}.${key}`,
      );
    }
    return out;
  }
  return [...samples];
}

function stackTensors(samples: readonly unknown[], where: string): Tensor {
  const first = samples[0] as Tensor;
  const size = first.size;
  const out = new (first.data.constructor as new (n: number) => Tensor['data'])(samples.length * size);
  samples.forEach((s, j) => {
    if (!(s instanceof Tensor)) fail('collate', `${where}: sample ${j} is not a Tensor but sample 0 is`);
    if (s.dtype !== first.dtype || s.ndim !== first.ndim || s.shape.some((d, i) => d !== first.shape[i])) {
      fail(
        'collate',
        `${where}: sample ${j} is ${s.dtype} ${fmtShape(s.shape)} but sample 0 is ${first.dtype} ${fmtShape(first.shape)}`,
      );
    }
    if (s.isContiguous()) out.set(s.data.subarray(s.offset, s.offset + size) as never, j * size);
    else out.set(s.toTypedArray() as never, j * size);
  });
  return new Tensor(out, [samples.length, ...first.shape]);
}
