import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { assertFinite, assertFiniteGrads, NonFiniteError } from './assert-finite.js';
import { Parameter } from './parameter.js';

describe('assertFinite', () => {
  it('passes finite losses and names the step and last checkpoint for NaN/Inf', () => {
    expect(() => assertFinite(0.5, 1)).not.toThrow();
    expect(() => assertFinite(tensor([1, 2]), 1)).not.toThrow();
    expect(() => assertFinite(NaN, 17, { lastCheckpoint: 'runs/ckpt-epoch3.safetensors' })).toThrow(
      'loss is NaN at step 17; the last good checkpoint is runs/ckpt-epoch3.safetensors',
    );
    let err: unknown;
    try {
      assertFinite(tensor([Infinity]), 4);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NonFiniteError);
    expect((err as NonFiniteError).step).toBe(4);
    expect((err as NonFiniteError).message).toBe(
      'loss is Infinity at step 4; no checkpoint was saved before it',
    );
  });

  it('names the first parameter with a non-finite gradient', () => {
    const a = new Parameter(tensor([1]));
    const b = new Parameter(tensor([1, 2]));
    a.grad = tensor([0.5]);
    b.grad = tensor([1, -Infinity]);
    expect(() => assertFiniteGrads([a, b], 9)).toThrow('the gradient of parameter 1 is -Infinity at step 9');
    expect(() =>
      assertFiniteGrads(
        [
          ['fc.weight', a],
          ['fc.bias', b],
        ],
        9,
        { lastCheckpoint: 'x' },
      ),
    ).toThrow(/the gradient of fc.bias is -Infinity at step 9; the last good checkpoint is x/);
  });
});
