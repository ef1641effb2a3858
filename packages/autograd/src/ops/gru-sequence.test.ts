import * as T from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { gruCell, gruSequence, linear, reshape, slice, stack, sum, Variable } from '../index.js';
import { expectRecyclingSafe } from '../test-utils/recycling.js';

const gen = new T.Generator(43);
const rand = (shape: number[]) => T.randn(shape, { generator: gen });

/** The same pass spelled out step by step with linear and gruCell, as the GRU layer used to run it. */
function composed(vs: Variable[], reverse: boolean): Variable {
  const [x, h0, wi, wh, bi, bh] = vs;
  const [steps, n] = x!.shape as [number, number];
  let h = h0!;
  const hs = new Array<Variable>(steps);
  for (let i = 0; i < steps; i++) {
    const t = reverse ? steps - 1 - i : i;
    const xt = reshape(slice(x!, 0, t, t + 1), [n, x!.shape[2]!]);
    h = gruCell(linear(xt, wi!, bi), linear(h, wh!, bh), h);
    hs[t] = h;
  }
  return stack(hs, 0);
}

describe('gruSequence', () => {
  for (const reverse of [false, true]) {
    it(`forward is the step-by-step pass bit for bit; backward agrees (float32, reverse ${reverse})`, () => {
      const [steps, n, inF, H] = [5, 7, 3, 6];
      const shapes = [[steps, n, inF], [n, H], [3 * H, inF], [3 * H, H], [3 * H], [3 * H]];
      const data = shapes.map(rand);
      const a = data.map((t) => new Variable(t, true));
      const b = data.map((t) => new Variable(t, true));
      const got = gruSequence(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, { reverse });
      const want = composed(b, reverse);
      expect(got.shape).toEqual([steps, n, H]);
      expect(Array.from(got.data.toTypedArray())).toEqual(Array.from(want.data.toTypedArray()));
      const wts = new Variable(rand([steps, n, H]));
      sum(got.mul(wts)).backward();
      sum(want.mul(wts)).backward();
      for (let i = 0; i < a.length; i++) {
        const g1 = a[i]!.grad!.toTypedArray();
        const g2 = b[i]!.grad!.toTypedArray();
        const scale = Math.max(...Array.from(g2, Math.abs));
        for (let j = 0; j < g1.length; j++)
          expect(Math.abs(g1[j]! - g2[j]!)).toBeLessThan(1e-5 * scale + 1e-6);
      }
    });
  }

  it('checks shapes and the biases, naming the argument', () => {
    const v = (s: number[]) => new Variable(T.zeros(s));
    expect(() => gruSequence(v([2, 3, 1]), v([3, 2]), v([6, 1]), v([6, 3]), null, null)).toThrow(
      /gruSequence: weightHh must be \[3H, H\], received \[6,3\]/,
    );
    expect(() => gruSequence(v([2, 3, 1]), v([3, 2]), v([6, 1]), v([6, 2]), v([6]), null)).toThrow(
      /give both biases or neither/,
    );
  });

  it('reuses its scratch arrays only after the last backward (retainGraph keeps them)', () => {
    const [steps, n, inF, H] = [4, 3, 2, 5];
    const shapes = [[steps, n, inF], [n, H], [3 * H, inF], [3 * H, H], [3 * H], [3 * H]];
    expectRecyclingSafe(
      shapes,
      (vs) => gruSequence(...(vs as [Variable, Variable, Variable, Variable, Variable, Variable])),
      new Variable(rand([steps, n, H])),
    );
  });
});
