// crossEntropy and batchNorm against PyTorch 1.13 (values and grads from fixtures/make-torch-parity.py).
import { readFileSync } from 'node:fs';
import * as T from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { batchNorm, crossEntropy, Variable } from '../index.js';

interface CeCase {
  op: 'crossEntropy';
  name: string;
  x: number[];
  shape: number[];
  target: number[];
  targetShape: number[];
  targetIsProb: boolean;
  opts: {
    weight?: number[];
    ignore_index?: number;
    reduction?: 'mean' | 'sum' | 'none';
    label_smoothing?: number;
  };
  out: number[];
  outShape: number[];
  dy: number[];
  dx: number[];
}

interface BnCase {
  op: 'batchNorm';
  name: string;
  shape: number[];
  training: boolean;
  eps: number;
  x: number[];
  weight: number[];
  bias: number[];
  runningMean: number[];
  runningVar: number[];
  out: number[];
  dy: number[];
  dx: number[];
  dweight: number[];
  dbias: number[];
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/torch-parity.json', import.meta.url), 'utf8'),
) as {
  cases: (CeCase | BnCase)[];
};

const f64 = (values: number[], shape: number[]) => T.tensor(values, { dtype: 'float64', shape });

function expectClose(actual: T.Tensor, expected: number[], tol = 1e-10): void {
  const a = actual.toTypedArray();
  expect(a.length).toBe(expected.length);
  expected.forEach((e, i) => {
    expect(Math.abs(a[i]! - e)).toBeLessThan(tol * (1 + Math.abs(e)));
  });
}

describe('crossEntropy matches torch.nn.functional.cross_entropy', () => {
  for (const k of fixture.cases.filter((c): c is CeCase => c.op === 'crossEntropy')) {
    it(k.name, () => {
      const x = new Variable(f64(k.x, k.shape), true);
      const target = T.tensor(k.target, {
        dtype: k.targetIsProb ? 'float64' : 'int32',
        shape: k.targetShape,
      });
      const loss = crossEntropy(x, target, {
        weight: k.opts.weight ? T.tensor(k.opts.weight, { dtype: 'float64' }) : undefined,
        ignoreIndex: k.opts.ignore_index,
        reduction: k.opts.reduction,
        labelSmoothing: k.opts.label_smoothing,
      });
      expect(loss.shape).toEqual(k.outShape);
      expectClose(loss.data, k.out);
      loss.backward(f64(k.dy, k.outShape));
      expectClose(x.grad!, k.dx);
    });
  }

  it('keeps float32 logits in float32', () => {
    const loss = crossEntropy(T.tensor([[1, 2, 3]]), T.tensor([2], { dtype: 'int32' }));
    expect(loss.dtype).toBe('float32');
    expect(loss.item()).toBeCloseTo(-Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3))), 6);
  });

  it('names the bad target in its errors', () => {
    const x = T.zeros([2, 3]);
    expect(() => crossEntropy(x, T.tensor([0, 3], { dtype: 'int32' }))).toThrow(
      /target 3 at position 1 is out of range for 3 classes/,
    );
    expect(() => crossEntropy(x, T.tensor([0, 1, 2], { dtype: 'int32' }))).toThrow(
      /must have shape \[2\].*received int32 \[3\]/,
    );
    expect(() => crossEntropy(x, T.tensor([0, 1], { dtype: 'int32' }), { weight: T.ones([2]) })).toThrow(
      /weight must have shape \[3\]/,
    );
  });
});

describe('batchNorm matches torch.nn.functional.batch_norm', () => {
  for (const k of fixture.cases.filter((c): c is BnCase => c.op === 'batchNorm')) {
    it(k.name, () => {
      const C = k.shape[1]!;
      const x = new Variable(f64(k.x, k.shape), true);
      const w = new Variable(f64(k.weight, [C]), true);
      const b = new Variable(f64(k.bias, [C]), true);
      const y = batchNorm(x, f64(k.runningMean, [C]), f64(k.runningVar, [C]), w, b, {
        training: k.training,
        eps: k.eps,
      });
      expectClose(y.data, k.out);
      y.backward(f64(k.dy, k.shape));
      expectClose(x.grad!, k.dx);
      expectClose(w.grad!, k.dweight);
      expectClose(b.grad!, k.dbias);
    });
  }
});
