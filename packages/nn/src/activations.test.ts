import { Variable } from '@tsdl/autograd';
import { gelu, tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from './activations.js';

const x = tensor([-2, 0, 3]);
const close = (a: Variable, b: number[]) => {
  for (const [i, v] of Array.from(a.data.toTypedArray()).entries()) expect(v).toBeCloseTo(b[i]!, 6);
};

describe('activations', () => {
  it('compute their functions', () => {
    close(new ReLU().forward(x), [0, 0, 3]);
    close(new LeakyReLU().forward(x), [-0.02, 0, 3]);
    close(new LeakyReLU(0.2).forward(x), [-0.4, 0, 3]);
    close(new Sigmoid().forward(x), [1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-3))]);
    close(new Tanh().forward(x), [Math.tanh(-2), 0, Math.tanh(3)]);
    const z = Math.exp(-2) + 1 + Math.exp(3);
    close(new Softmax().forward(x), [Math.exp(-2) / z, 1 / z, Math.exp(3) / z]);
    close(new LogSoftmax().forward(x), [-2 - Math.log(z), -Math.log(z), 3 - Math.log(z)]);
  });

  it('take the softmax over the given dim and have no parameters', () => {
    const m = tensor([
      [1, 2],
      [3, 4],
    ]);
    close(new Softmax(0).forward(m), [
      1 / (1 + Math.E ** 2),
      1 / (1 + Math.E ** 2),
      1 / (1 + Math.E ** -2),
      1 / (1 + Math.E ** -2),
    ]);
    expect(new Softmax(1).parameters()).toEqual([]);
    const v = new Variable(x, true);
    new ReLU().forward(v).sum().backward();
    expect(Array.from(v.grad!.data)).toEqual([0, 0, 1]);
  });

  it('GELU: exact by default or tanh-approximated, with a gradient', () => {
    const v = new Variable(tensor([-3, -0.5, 0, 0.5, 3]), true);
    const y = new GELU().forward(v);
    expect(Array.from(y.data.toTypedArray())).toEqual(Array.from(gelu(v.data, 'none').toTypedArray()));
    // x·Φ(x) at x = 0.5: Φ(0.5) = 0.69146246127401310 (to 17 digits).
    expect(y.data.get(3)).toBeCloseTo(0.5 * 0.6914624612740131, 7);
    const t = new GELU({ approximate: 'tanh' });
    expect(t.approximate).toBe('tanh');
    expect(Array.from(t.forward(v).data.toTypedArray())).toEqual(
      Array.from(gelu(v.data, 'tanh').toTypedArray()),
    );
    y.sum().backward();
    expect(v.grad!.get(2)).toBeCloseTo(0.5, 7); // gelu'(0) = Φ(0)
    expect(() => new GELU({ approximate: 'erf' as never })).toThrow(
      `GELU: approximate must be 'none' or 'tanh', received "erf"`,
    );
  });
});
