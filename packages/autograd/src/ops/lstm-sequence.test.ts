import * as T from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { linear, lstmCell, lstmSequence, reshape, slice, stack, sum, Variable } from '../index.js';
import { expectRecyclingSafe } from '../test-utils/recycling.js';

const gen = new T.Generator(41);
const rand = (shape: number[], dtype: T.DType) => T.randn(shape, { generator: gen }).to(dtype);

/** The same pass spelled out step by step with linear and lstmCell, as the LSTM layer used to run it. */
function composed(vs: Variable[], reverse: boolean): Variable {
  const [x, h0, c0, wi, wh, bi, bh] = vs;
  const [steps, n] = x!.shape as [number, number];
  const H = wh!.shape[1]!;
  let h = h0!;
  let c = c0!;
  const hs = new Array<Variable>(steps);
  for (let i = 0; i < steps; i++) {
    const t = reverse ? steps - 1 - i : i;
    const xt = reshape(slice(x!, 0, t, t + 1), [n, x!.shape[2]!]);
    const hc = lstmCell(linear(xt, wi!, bi), linear(h, wh!, bh), c);
    h = slice(hc, 1, 0, H);
    c = slice(hc, 1, H, 2 * H);
    hs[t] = h;
  }
  return stack([...hs, c], 0);
}

describe('lstmSequence', () => {
  for (const reverse of [false, true]) {
    it(`forward is the step-by-step pass bit for bit; backward agrees (float32, reverse ${reverse})`, () => {
      const [steps, n, inF, H] = [5, 7, 3, 6];
      const shapes = [[steps, n, inF], [n, H], [n, H], [4 * H, inF], [4 * H, H], [4 * H], [4 * H]];
      const data = shapes.map((s) => rand(s, 'float32'));
      const a = data.map((t) => new Variable(t, true));
      const b = data.map((t) => new Variable(t, true));
      const want = composed(a, reverse);
      const got = lstmSequence(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, { reverse });
      expect(got.shape).toEqual([steps + 1, n, H]);
      expect(Array.from(got.data.toTypedArray())).toEqual(Array.from(want.data.toTypedArray()));
      // a loss that weighs every output and the final cell state differently
      const wts = new Variable(rand([steps + 1, n, H], 'float32'));
      sum(got.mul(wts)).backward();
      const bw = composed(b, reverse);
      sum(bw.mul(wts)).backward();
      for (let i = 0; i < a.length; i++) {
        const g1 = a[i]!.grad!.toTypedArray();
        const g2 = b[i]!.grad!.toTypedArray();
        const scale = Math.max(...Array.from(g2, Math.abs));
        for (let j = 0; j < g1.length; j++)
          expect(Math.abs(g1[j]! - g2[j]!)).toBeLessThan(1e-5 * scale + 1e-6);
      }
    });
  }

  it('promotes mixed float dtypes like the step-by-step ops', () => {
    const data = [
      [2, 3, 1],
      [3, 2],
      [3, 2],
      [8, 1],
      [8, 2],
    ].map((s, i) => rand(s, i < 3 ? 'float32' : 'float64'));
    const got = lstmSequence(
      ...(data.map((t) => new Variable(t)) as [Variable, Variable, Variable, Variable, Variable]),
      null,
      null,
    );
    const want = lstmSequence(
      ...(data.map((t) => new Variable(t.to('float64'))) as [
        Variable,
        Variable,
        Variable,
        Variable,
        Variable,
      ]),
      null,
      null,
    );
    expect(got.dtype).toBe('float64');
    expect(Array.from(got.data.toTypedArray())).toEqual(Array.from(want.data.toTypedArray()));
  });

  it('checks shapes and the biases, naming the argument', () => {
    const v = (s: number[]) => new Variable(T.zeros(s));
    expect(() => lstmSequence(v([2, 3, 1]), v([3, 2]), v([3, 2]), v([8, 1]), v([8, 3]), null, null)).toThrow(
      /lstmSequence: weightHh must be \[4H, H\], received \[8,3\]/,
    );
    expect(() => lstmSequence(v([2, 3, 1]), v([4, 2]), v([3, 2]), v([8, 1]), v([8, 2]), null, null)).toThrow(
      /lstmSequence: h0 must be \[3, 2\], received \[4,2\]/,
    );
    expect(() =>
      lstmSequence(v([2, 3, 1]), v([3, 2]), v([3, 2]), v([8, 1]), v([8, 2]), v([8]), null),
    ).toThrow(/give both biases or neither/);
  });

  it('reuses its scratch arrays only after the last backward (retainGraph keeps them)', () => {
    const [steps, n, inF, H] = [4, 3, 2, 5];
    const shapes = [[steps, n, inF], [n, H], [n, H], [4 * H, inF], [4 * H, H], [4 * H], [4 * H]];
    expectRecyclingSafe(
      shapes,
      (vs) => lstmSequence(...(vs as [Variable, Variable, Variable, Variable, Variable, Variable, Variable])),
      new Variable(rand([steps + 1, n, H], 'float32')),
    );
  });
});
