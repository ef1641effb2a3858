import { describe, expect, it } from 'vitest';
import { tensor } from './creation.js';
import { layerNormBackward, layerNormForward } from './layer-norm.js';
import { Generator, randn } from './random.js';
import type { Tensor } from './tensor.js';
import { permute } from './view.js';

const f64 = (shape: number[], seed: number) =>
  randn(shape, { dtype: 'float64', generator: new Generator(seed) });

/** Rows of K values, each normalised on its own with plain array code. */
function naiveRows(x: Tensor, k: number) {
  const xs = Array.from(x.toTypedArray());
  const rows = Array.from({ length: xs.length / k }, (_, r) => xs.slice(r * k, (r + 1) * k));
  return rows.map((row) => {
    const mean = row.reduce((a, v) => a + v, 0) / k;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / k;
    return { row, mean, variance };
  });
}

function naiveForward(x: Tensor, k: number, w: number[] | null, b: number[] | null, eps: number): number[] {
  return naiveRows(x, k).flatMap(({ row, mean, variance }) =>
    row.map((v, j) => ((v - mean) / Math.sqrt(variance + eps)) * (w?.[j] ?? 1) + (b?.[j] ?? 0)),
  );
}

/**
 * dx by the chain rule written out as a K×K Jacobian per row, ∂x̂_j/∂x_i = s·(δij − 1/K − x̂_i·x̂_j/K)
 * with s = 1/sqrt(var + eps); dweight and dbias as sums over rows.
 */
function naiveBackward(dy: Tensor, x: Tensor, k: number, w: number[] | null, eps: number) {
  const g = Array.from(dy.toTypedArray());
  const dx: number[] = [];
  const dw = new Array<number>(k).fill(0);
  const db = new Array<number>(k).fill(0);
  naiveRows(x, k).forEach(({ row, mean, variance }, r) => {
    const s = 1 / Math.sqrt(variance + eps);
    const xhat = row.map((v) => (v - mean) * s);
    for (let i = 0; i < k; i++) {
      let acc = 0;
      for (let j = 0; j < k; j++)
        acc += g[r * k + j]! * (w?.[j] ?? 1) * s * ((i === j ? 1 : 0) - 1 / k - (xhat[i]! * xhat[j]!) / k);
      dx.push(acc);
      dw[i]! += g[r * k + i]! * xhat[i]!;
      db[i]! += g[r * k + i]!;
    }
  });
  return { dx, dw, db };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i]! - expected[i]!), `element ${i}`).toBeLessThanOrEqual(
      tol * (1 + Math.abs(expected[i]!)),
    );
}

const cases: { x: number[]; norm: number[]; affine: boolean }[] = [
  { x: [4, 5], norm: [5], affine: true },
  { x: [2, 3, 4], norm: [3, 4], affine: true },
  { x: [3, 2, 6], norm: [6], affine: false },
  { x: [3, 4], norm: [3, 4], affine: true }, // no batch dims: one row
];

describe('layerNormForward / layerNormBackward', () => {
  for (const c of cases) {
    const label = `x [${c.x}], normalizedShape [${c.norm}]${c.affine ? ', affine' : ''}`;
    const k = c.norm.reduce((a, b) => a * b, 1);
    const wv = c.affine ? Array.from({ length: k }, (_, j) => 0.5 + 0.25 * j) : null;
    const bv = c.affine ? Array.from({ length: k }, (_, j) => 0.1 * j - 0.3) : null;
    const w = wv && tensor(wv, { dtype: 'float64', shape: c.norm });
    const b = bv && tensor(bv, { dtype: 'float64', shape: c.norm });

    it(`forward matches the naive reference: ${label}`, () => {
      const x = f64(c.x, 1).add(2); // an offset mean, which the two-pass variance must handle
      const out = layerNormForward(x, c.norm, w, b, 1e-3);
      expect(out.y.shape).toEqual(c.x);
      expect(out.y.dtype).toBe('float64');
      expectClose(out.y.toTypedArray(), naiveForward(x, k, wv, bv, 1e-3), 1e-13);
      const rows = naiveRows(x, k);
      expect(out.mean.shape).toEqual(c.x.slice(0, c.x.length - c.norm.length));
      expectClose(
        out.mean.toTypedArray(),
        rows.map((r) => r.mean),
        1e-14,
      );
      expectClose(
        out.invStd.toTypedArray(),
        rows.map((r) => 1 / Math.sqrt(r.variance + 1e-3)),
        1e-13,
      );
    });

    it(`backward matches the chain rule written out: ${label}`, () => {
      const x = f64(c.x, 2);
      const dy = f64(c.x, 3);
      const { mean, invStd } = layerNormForward(x, c.norm, w, b, 1e-5);
      const g = layerNormBackward(dy, x, c.norm, mean, invStd, w);
      const ref = naiveBackward(dy, x, k, wv, 1e-5);
      expectClose(g.dx.toTypedArray(), ref.dx, 1e-12);
      expect(g.dweight.shape).toEqual(c.norm);
      expectClose(g.dweight.toTypedArray(), ref.dw, 1e-13);
      expectClose(g.dbias.toTypedArray(), ref.db, 1e-13);
    });
  }

  it('keeps float32, reads strided input and accumulates statistics in float64', () => {
    // A large common offset: float32 sums of such rows lose the small deviations.
    const base = f64([3, 8], 4);
    const x64 = base.add(1e4);
    const x32 = x64.to('float32');
    const out = layerNormForward(x32, 8);
    expect(out.y.dtype).toBe('float32');
    expect(out.mean.dtype).toBe('float64');
    expectClose(out.y.toTypedArray(), naiveForward(x32.to('float64'), 8, null, null, 1e-5), 1e-6);
    const strided = permute(f64([4, 3], 5), [1, 0]); // [3, 4] non-contiguous
    expect(Array.from(layerNormForward(strided, [4]).y.toTypedArray())).toEqual(
      Array.from(layerNormForward(strided.contiguous(), [4]).y.toTypedArray()),
    );
  });

  it('normalises a constant row to the bias (variance 0: divided by sqrt(eps))', () => {
    const x = tensor([[2, 2, 2]], { dtype: 'float64' });
    const b = tensor([1, -1, 0.5], { dtype: 'float64' });
    expect(Array.from(layerNormForward(x, 3, null, b).y.toTypedArray())).toEqual([1, -1, 0.5]);
  });

  it('names the mismatch when shapes disagree', () => {
    const x = f64([2, 3, 4], 6);
    expect(() => layerNormForward(x, [3])).toThrow(
      /layerNormForward: normalizedShape \[3\] must match the trailing dims of x, expected shape \[\*,3\], received \[2,3,4\]/,
    );
    expect(() => layerNormForward(x, [0])).toThrow(/normalizedShape must be one or more positive integers/);
    expect(() => layerNormForward(x, [4], f64([3], 1))).toThrow(
      /weight must have normalizedShape \[4\], received \[3\]/,
    );
    const { mean, invStd } = layerNormForward(x, 4);
    expect(() => layerNormBackward(f64([2, 3], 1), x, 4, mean, invStd)).toThrow(
      /layerNormBackward: dy must have the shape of x \[2,3,4\], received \[2,3\]/,
    );
    expect(() => layerNormBackward(x, x, [3, 4], mean, invStd)).toThrow(
      /mean must have x's leading shape \[2\], received \[2,3\]/,
    );
  });
});
