import { Variable } from '@tsdl/autograd';
import { Generator, randn, tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { Linear } from './linear.js';

describe('Linear', () => {
  it('has PyTorch shapes and state-dict keys, and computes x Wᵀ + b', () => {
    const l = new Linear(3, 2);
    expect(l.weight.shape).toEqual([2, 3]);
    expect(l.bias!.shape).toEqual([2]);
    expect(Object.keys(l.stateDict())).toEqual(['weight', 'bias']);
    l.weight.data = tensor([
      [1, 2, 3],
      [-1, 0, 1],
    ]);
    l.bias!.data = tensor([0.5, -0.5]);
    const y = l.forward(
      tensor([
        [1, 1, 1],
        [2, 0, -1],
      ]),
    );
    expect(y.toArray()).toEqual([
      [6.5, -0.5],
      [-0.5, -3.5],
    ]);
    expect(new Linear(3, 2, { bias: false }).bias).toBeNull();
    expect(Object.keys(new Linear(3, 2, { bias: false }).stateDict())).toEqual(['weight']);
  });

  it('initialises weight and bias U(±1/√in) like PyTorch (kaiming-uniform a=√5), reproducibly', () => {
    const l = new Linear(400, 300, { generator: new Generator(7) });
    const bound = 1 / Math.sqrt(400);
    for (const p of [l.weight, l.bias!]) {
      const a = Array.from(p.data.data);
      expect(Math.max(...a)).toBeLessThanOrEqual(bound);
      expect(Math.min(...a)).toBeGreaterThanOrEqual(-bound);
    }
    const w = Array.from(l.weight.data.data);
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(1e-3);
    expect(variance).toBeCloseTo(bound ** 2 / 3, 5); // var of U(±b) is b²/3
    expect(Math.max(...w)).toBeGreaterThan(0.99 * bound);
    const again = new Linear(400, 300, { generator: new Generator(7) });
    expect(Array.from(again.weight.data.data)).toEqual(w);
    expect(Array.from(again.bias!.data.data)).toEqual(Array.from(l.bias!.data.data));
  });

  it('back-propagates to weight, bias and input', () => {
    const l = new Linear(4, 3, { generator: new Generator(1) });
    const x = new Variable(randn([5, 4], { generator: new Generator(2) }), true);
    l.forward(x).sum().backward();
    expect(l.weight.grad!.shape).toEqual([3, 4]);
    expect(Array.from(l.bias!.grad!.data)).toEqual([5, 5, 5]);
    expect(x.grad!.shape).toEqual([5, 4]);
  });

  it('rejects a mismatched input with the shapes in the message', () => {
    expect(() => new Linear(3, 2).forward(tensor([[1, 2]]))).toThrow(
      /Linear: input's last dim must be inFeatures=3, received shape \[1,2\]/,
    );
    expect(() => new Linear(-1, 2)).toThrow(/inFeatures must be a non-negative integer, received -1/);
  });
});
