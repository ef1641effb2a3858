import * as T from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { maxPool2d, maxPool2dIndices, maxPool2dWithIndices, recordGraph, Variable } from '../index.js';

const x = () => new Variable(T.randn([2, 3, 7, 6], { generator: new T.Generator(4) }), true);
const opts = { kernelSize: 3, stride: 2, padding: 1, ceilMode: true };

describe('maxPool2dWithIndices', () => {
  it("returns maxPool2d's values (with their gradient) and the tensor op's indices", () => {
    const a = x();
    const { values, indices } = maxPool2dWithIndices(a, opts);
    const ref = T.maxPool2dWithIndices(a.data, opts);
    expect(values.data.toArray()).toEqual(maxPool2d(a, opts).data.toArray());
    expect(indices.dtype).toBe('int32');
    expect(indices.data.toArray()).toEqual(ref.indices.toArray());
    values.sum().backward();
    expect(a.grad!.toArray()).toEqual(T.maxPool2dGrad(T.onesLike(values.data), a.data, opts).toArray());
  });

  it('gives indices that need no grad and stay off the tape, but are recorded for export', () => {
    const a = x();
    const i = maxPool2dIndices(a, opts);
    expect(i.requiresGrad).toBe(false);
    expect(i.node).toBeNull();
    const traced = recordGraph(() => maxPool2dIndices(a, opts));
    expect(traced.node?.spec.name).toBe('maxPool2dIndices');
    expect(traced.node?.inputs[0]).toBe(a);
  });
});
