import { variable } from '@tsdl/autograd';
import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { Identity } from './identity.js';
import { Linear } from './linear.js';
import { Sequential } from './sequential.js';

describe('Identity', () => {
  it('returns its input itself, so gradients flow through untouched', () => {
    const x = variable(tensor([1, -2, 3]), { requiresGrad: true });
    const id = new Identity();
    expect(id.forward(x)).toBe(x);
    expect(id.forward(x, 'ignored', 42)).toBe(x);
    id.forward(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([1, 1, 1]);
  });

  it('has no parameters and keeps the indices of the layers around it', () => {
    const net = new Sequential(new Linear(2, 3), new Identity(), new Linear(3, 1));
    expect(new Identity().parameters()).toEqual([]);
    expect(Object.keys(net.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(net.forward(tensor([[1, 2]])).shape).toEqual([1, 1]);
  });
});
