import { Generator, tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { ReLU } from './activations.js';
import { Linear } from './linear.js';
import { Sequential } from './sequential.js';

describe('Sequential', () => {
  it("registers children as '0', '1', … so state-dict keys are PyTorch's", () => {
    const g = new Generator(0);
    const net = new Sequential(
      new Linear(4, 8, { generator: g }),
      new ReLU(),
      new Linear(8, 2, { generator: g }),
    );
    expect(Object.keys(net.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(net.namedParameters().map(([k]) => k)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(net.length).toBe(3);
    expect(net.at(-1)).toBeInstanceOf(Linear);
    expect([...net].length).toBe(3);
  });

  it('applies its modules in order', () => {
    const a = new Linear(2, 2);
    a.weight.data = tensor([
      [1, 0],
      [0, -1],
    ]);
    a.bias!.data = tensor([0, 0]);
    const net = new Sequential(a, new ReLU());
    expect(net.forward(tensor([[3, 4]])).toArray()).toEqual([[3, 0]]);
    const nested = new Sequential(new Sequential(new Linear(2, 2)), new ReLU());
    expect(Object.keys(nested.stateDict())).toEqual(['0.0.weight', '0.0.bias']);
  });

  it('train()/eval() reach every child', () => {
    const net = new Sequential(new Linear(2, 2), new ReLU()).eval();
    expect([...net].every((m) => !m.training)).toBe(true);
    expect(() => net.at(5)).toThrow(/index 5 is out of range for 2 modules/);
  });
});
