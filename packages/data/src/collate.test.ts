import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { defaultCollate } from './collate.js';

describe('defaultCollate', () => {
  it('stacks tensors, numbers, tuples and records', () => {
    const batch = defaultCollate([
      { x: tensor([1, 2]), y: 3, name: 'a' },
      { x: tensor([4, 5]), y: 6, name: 'b' },
    ]);
    expect(batch.x.shape).toEqual([2, 2]);
    expect(batch.x.toArray()).toEqual([
      [1, 2],
      [4, 5],
    ]);
    expect(batch.y.dtype).toBe('int32');
    expect(batch.y.toArray()).toEqual([3, 6]);
    expect(batch.name).toEqual(['a', 'b']);
    const [a, b] = defaultCollate([[tensor([1]), 0.5] as const, [tensor([2]), 1.5] as const]);
    expect(a.toArray()).toEqual([[1], [2]]);
    expect(b.dtype).toBe('float32');
  });
  it('copies strided views in logical order', () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]).T;
    expect(defaultCollate([t, t]).toArray()).toEqual([
      [
        [1, 3],
        [2, 4],
      ],
      [
        [1, 3],
        [2, 4],
      ],
    ]);
  });
  it('names the sample whose shape or dtype differs', () => {
    expect(() => defaultCollate([tensor([1, 2]), tensor([1, 2, 3])])).toThrow(
      /sample 1 is float32 \[3\] but sample 0 is float32 \[2\]/,
    );
    expect(() => defaultCollate([])).toThrow(/empty batch/);
  });
});
