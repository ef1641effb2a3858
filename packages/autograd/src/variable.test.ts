import * as T from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { add, dropout, linear, max, mul, noGrad, sigmoid, sum, Variable, variable, where } from './index.js';

const f64 = (values: number[], shape = [values.length]) => T.tensor(values, { dtype: 'float64', shape });
const leaf = (values: number[], shape = [values.length]) => new Variable(f64(values, shape), true);
const arr = (t: T.Tensor | null) => Array.from(t!.toTypedArray());

describe('Variable backward semantics', () => {
  it('accumulates grads over backward calls like PyTorch, and zeroGrad clears them', () => {
    const x = leaf([1, 2, 3]);
    sum(mul(x, 3)).backward();
    expect(arr(x.grad)).toEqual([3, 3, 3]);
    sum(mul(x, 3)).backward();
    expect(arr(x.grad)).toEqual([6, 6, 6]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
    sum(mul(x, x)).backward();
    expect(arr(x.grad)).toEqual([2, 4, 6]);
  });

  it('frees the graph after backward unless retainGraph', () => {
    const x = leaf([1, 2]);
    const y = sum(mul(x, x));
    y.backward();
    expect(() => y.backward()).toThrow(/already freed.*retainGraph/);

    const z = sum(mul(x, x));
    x.zeroGrad();
    z.backward(undefined, { retainGraph: true });
    z.backward();
    expect(arr(x.grad)).toEqual([4, 8]);
  });

  it('records nothing under noGrad', () => {
    const x = leaf([1, 2]);
    const y = noGrad(() => mul(x, 2));
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
    expect(arr(y.data)).toEqual([2, 4]);
    expect(() => y.sum().backward()).toThrow(/does not require grad/);
  });

  it('sums the grads of an input used twice (x*x, x+x)', () => {
    const x = leaf([0.5, -2]);
    sum(add(mul(x, x), x)).backward();
    expect(arr(x.grad)).toEqual([2 * 0.5 + 1, 2 * -2 + 1]);
  });

  it('reduces broadcast grads to each input shape', () => {
    const a = leaf([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = leaf([10, 20, 30]);
    const c = leaf([2], [1, 1]);
    sum(mul(add(a, b), c)).backward();
    expect(b.grad!.shape).toEqual([3]);
    expect(arr(b.grad)).toEqual([4, 4, 4]);
    expect(c.grad!.shape).toEqual([1, 1]);
    expect(arr(c.grad)).toEqual([1 + 2 + 3 + 4 + 5 + 6 + 2 * (10 + 20 + 30)]);
    expect(arr(a.grad)).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('requires an explicit grad for a non-scalar output', () => {
    const y = mul(leaf([1, 2]), 2);
    expect(() => y.backward()).toThrow(/one-element outputs.*\[2\]/);
    y.backward(f64([1, -1]));
  });

  it('a leaf keeps a fresh gradient nothing else holds as its .grad; shared ones are copied', () => {
    // linear's backward declares fresh storage: dW and db become the .grads themselves...
    const x = leaf([1, 2, 3, 4, 5, 6], [2, 3]);
    const w = leaf([1, 0, -1, 2, 1, 0], [2, 3]);
    const b = leaf([0.5, -0.5]);
    const y = linear(x, w, b);
    const dy = f64([1, 2, 3, 4], [2, 2]);
    y.backward(dy);
    expect(arr(w.grad)).toEqual([13, 17, 21, 18, 24, 30]);
    expect(arr(x.grad)).toEqual([5, 2, -1, 11, 4, -3]);
    expect(arr(b.grad)).toEqual([4, 6]);
    const buffers = [x.grad, w.grad, b.grad, dy].map((t) => t!.data.buffer);
    expect(new Set(buffers).size).toBe(4);
    // ...while add's backward hands the same dy to both inputs (and dy is the caller's): copies
    const p = leaf([1, 2]);
    const q = leaf([3, 4]);
    const g = f64([1, 1]);
    add(p, q).backward(g);
    expect(arr(p.grad)).toEqual([1, 1]);
    expect(new Set([p.grad!.data.buffer, q.grad!.data.buffer, g.data.buffer]).size).toBe(3);
    // 1-d linear: db would be dy itself, the caller's tensor; it is a copy
    const v = leaf([1, 2, 3]);
    const c = leaf([1]);
    const out = linear(v, leaf([1, 1, 1], [1, 3]), c);
    const g1 = f64([2]);
    out.backward(g1);
    expect(arr(c.grad)).toEqual([2]);
    expect(c.grad!.data.buffer).not.toBe(g1.data.buffer);
  });

  it('keeps grads on non-leaves only with retainGrad', () => {
    const x = leaf([1, 2]);
    const h = mul(x, 2).retainGrad();
    const k = mul(x, 3);
    sum(mul(h, k)).backward();
    expect(arr(h.grad)).toEqual([3, 6]);
    expect(k.grad).toBeNull();
  });
});

describe('hand-computed gradients', () => {
  it('d/dx sum(sigmoid(x)) = σ(x)(1 - σ(x))', () => {
    const xs = [-2, 0, 0.5, 3];
    const x = leaf(xs);
    sum(sigmoid(x)).backward();
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    arr(x.grad).forEach((g, i) => {
      expect(g).toBeCloseTo(s(xs[i]!) * (1 - s(xs[i]!)), 12);
    });
  });

  it('method chains mirror the ops: d/dx (x.exp().log() * x).sum() = 2x', () => {
    const x = leaf([0.3, -1.2]);
    x.exp().log().mul(x).sum().backward();
    arr(x.grad).forEach((g, i) => {
      expect(g).toBeCloseTo(2 * [0.3, -1.2][i]!, 12);
    });
  });

  it('max reduction spreads the grad evenly over tied maxima', () => {
    const x = leaf([1, 3, 3, 2, 0, 0], [2, 3]);
    max(x).backward();
    expect(arr(x.grad)).toEqual([0, 0.5, 0.5, 0, 0, 0]);
    x.zeroGrad();
    sum(max(x, 1)).backward();
    expect(arr(x.grad)).toEqual([0, 0.5, 0.5, 1, 0, 0]);
  });

  it('where sends each grad to the chosen side only and none to the condition', () => {
    const a = leaf([1, 2, 3]);
    const b = leaf([4, 5, 6]);
    const cond = new Variable(T.tensor([1, 0, 1], { dtype: 'int32' }), false);
    const y = where(cond, a, b);
    expect(arr(y.data)).toEqual([1, 5, 3]);
    y.backward(f64([10, 20, 30]));
    expect(arr(a.grad)).toEqual([10, 0, 30]);
    expect(arr(b.grad)).toEqual([0, 20, 0]);
  });
});

describe('dropout', () => {
  it('is the identity in eval mode and records nothing', () => {
    const x = leaf([1, 2, 3]);
    expect(dropout(x, 0.5, false)).toBe(x);
    expect(dropout(x, 0, true)).toBe(x);
  });

  it('zeroes about p of the elements, scales the rest by 1/(1-p), and backward reuses the mask', () => {
    const x = new Variable(T.ones([4000], { dtype: 'float64' }), true);
    const y = dropout(x, 0.25, true, new T.Generator(3));
    const v = arr(y.data);
    const kept = v.filter((e) => e !== 0);
    expect(kept.every((e) => Math.abs(e - 1 / 0.75) < 1e-12)).toBe(true);
    expect(Math.abs(kept.length / v.length - 0.75)).toBeLessThan(0.03);
    y.backward(T.ones([4000], { dtype: 'float64' }));
    expect(arr(x.grad)).toEqual(v);
  });

  it('rejects p outside [0, 1]', () => {
    expect(() => dropout(variable([1, 2]), 1.5)).toThrow(/p must be in \[0, 1\], received 1.5/);
  });
});
