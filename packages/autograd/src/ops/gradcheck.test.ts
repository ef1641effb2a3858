// One gradcheck case (or a few) for every registered op, plus a meta-test that keeps the table
// complete, and a smoke test that every case's graph goes through its ONNX emitter.
import * as T from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import {
  abs,
  adaptiveAvgPool2d,
  add,
  avgPool2d,
  batchNorm,
  clamp,
  concat,
  conv2d,
  crossEntropy,
  div,
  dropout,
  embedding,
  exp,
  expand,
  flatten,
  gather,
  gelu,
  gradcheck,
  gruCell,
  gruSequence,
  indexSelect,
  layerNorm,
  leakyRelu,
  linear,
  log,
  logSoftmax,
  lstmCell,
  lstmSequence,
  matmul,
  max,
  maximum,
  maxPool2d,
  maxPool2dIndices,
  maxPool2dWithIndices,
  maxUnpool2d,
  mean,
  min,
  minimum,
  mul,
  neg,
  pad,
  permute,
  pow,
  recordGraph,
  registeredOps,
  relu,
  reshape,
  sigmoid,
  slice,
  softmax,
  sqrt,
  squeeze,
  stack,
  sub,
  sum,
  tanh,
  transpose,
  unsqueeze,
  Variable,
  where,
} from '../index.js';
import { emitGraph, RecordingBuilder } from '../test-utils/recording-builder.js';

let seed = 1;
/** Fresh float64 normals from a seeded generator (a new seed per call, fixed across runs). */
const randn = (shape: number[]): T.Tensor =>
  T.randn(shape, { dtype: 'float64', generator: new T.Generator(seed++) });
/** Normals pushed at least 0.3 away from 0 (for kinks at 0: relu, abs, leakyRelu). */
const awayFromZero = (shape: number[]): T.Tensor => {
  const x = randn(shape);
  return T.add(x, T.mul(T.sign(x), 0.3));
};
/** Values in [0.5, 2) (for log, sqrt, pow and divisors). */
const positive = (shape: number[]): T.Tensor =>
  T.add(T.mul(T.rand(shape, { dtype: 'float64', generator: new T.Generator(seed++) }), 1.5), 0.5);
/** A shuffled range scaled by 0.1: distinct values ≥ 0.1 apart (for max/min/maxPool ties). */
const distinct = (shape: number[]): T.Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  const perm = T.randperm(n, { generator: new T.Generator(seed++) });
  return T.reshape(T.mul(T.sub(perm.to('float64'), n / 2), 0.1), shape);
};
const int32 = (values: number[], shape = [values.length]): T.Tensor =>
  T.tensor(values, { dtype: 'int32', shape });

interface Case {
  fn: (...xs: Variable[]) => Variable;
  inputs: () => T.Tensor[];
  /** The error the ONNX emitter must give when this configuration has no ONNX form. */
  onnxError?: RegExp;
}

const c = (fn: Case['fn'], inputs: Case['inputs'], onnxError?: RegExp): Case => ({ fn, inputs, onnxError });

const cases: Record<string, Case[]> = {
  add: [
    c(
      (a, b) => add(a!, b!),
      () => [randn([2, 3]), randn([3])],
    ),
  ],
  sub: [
    c(
      (a, b) => sub(a!, b!),
      () => [randn([2, 1]), randn([2, 3])],
    ),
  ],
  mul: [
    c(
      (a, b) => mul(a!, b!),
      () => [randn([2, 3]), randn([2, 1])],
    ),
    c(
      (a) => mul(a!, 3),
      () => [randn([3])],
    ),
  ],
  div: [
    c(
      (a, b) => div(a!, b!),
      () => [randn([2, 3]), positive([3])],
    ),
  ],
  neg: [
    c(
      (a) => neg(a!),
      () => [randn([2, 3])],
    ),
  ],
  relu: [
    c(
      (a) => relu(a!),
      () => [awayFromZero([2, 4])],
    ),
  ],
  reshape: [
    c(
      (a) => reshape(a!, [3, -1]),
      () => [randn([2, 3])],
    ),
  ],
  sum: [
    c(
      (a) => sum(a!, 1),
      () => [randn([2, 3, 2])],
    ),
    c(
      (a) => sum(a!, [0, 2], true),
      () => [randn([2, 3, 2])],
    ),
  ],
  mean: [
    c(
      (a) => mean(a!, -1),
      () => [randn([2, 3])],
    ),
    c(
      (a) => mean(a!),
      () => [randn([2, 3])],
    ),
  ],
  matmul: [
    c(
      (a, b) => matmul(a!, b!),
      () => [randn([2, 3]), randn([3, 4])],
    ),
    c(
      (a, b) => matmul(a!, b!),
      () => [randn([2, 2, 3]), randn([3, 2])],
    ),
    c(
      (a, b) => matmul(a!, b!),
      () => [randn([3]), randn([2, 3, 2])],
    ),
  ],
  pow: [
    c(
      (a) => pow(a!, 3),
      () => [randn([2, 3])],
    ),
    c(
      (a, b) => pow(a!, b!),
      () => [positive([2, 3]), randn([3])],
    ),
    c(
      (b) => pow(2, b!),
      () => [randn([3])],
    ),
  ],
  exp: [
    c(
      (a) => exp(a!),
      () => [randn([2, 3])],
    ),
  ],
  log: [
    c(
      (a) => log(a!),
      () => [positive([2, 3])],
    ),
  ],
  sqrt: [
    c(
      (a) => sqrt(a!),
      () => [positive([2, 3])],
    ),
  ],
  abs: [
    c(
      (a) => abs(a!),
      () => [awayFromZero([2, 3])],
    ),
  ],
  sigmoid: [
    c(
      (a) => sigmoid(a!),
      () => [randn([2, 3])],
    ),
  ],
  tanh: [
    c(
      (a) => tanh(a!),
      () => [randn([2, 3])],
    ),
  ],
  leakyRelu: [
    c(
      (a) => leakyRelu(a!, 0.2),
      () => [awayFromZero([2, 4])],
    ),
  ],
  clamp: [
    // distinct() values are multiples of 0.1 shifted by 0.05 here, so none sits on a bound.
    c(
      (a) => clamp(a!, -0.3, 0.4),
      () => [T.add(distinct([3, 4]), 0.05)],
    ),
    c(
      (a) => clamp(a!, null, 0),
      () => [T.add(distinct([2, 3]), 0.05)],
    ),
  ],
  maximum: [
    c(
      (a, b) => maximum(a!, b!),
      () => [distinct([2, 3]), T.add(distinct([3]), 0.05)],
    ),
  ],
  minimum: [
    c(
      (a, b) => minimum(a!, b!),
      () => [distinct([2, 3]), T.add(distinct([2, 1]), 0.05)],
    ),
  ],
  where: [
    c(
      (a, b) => where(int32([1, 0, 0, 1, 1, 0], [2, 3]), a!, b!),
      () => [randn([2, 3]), randn([3])],
    ),
  ],
  max: [
    c(
      (a) => max(a!, 1),
      () => [distinct([2, 4])],
    ),
    c(
      (a) => max(a!),
      () => [distinct([2, 3])],
    ),
  ],
  min: [
    c(
      (a) => min(a!, [0, 2], true),
      () => [distinct([2, 3, 2])],
    ),
  ],
  permute: [
    c(
      (a) => permute(a!, [2, 0, 1]),
      () => [randn([2, 3, 2])],
    ),
    c(
      (a) => transpose(a!, 0, -1),
      () => [randn([2, 3])],
    ),
  ],
  flatten: [
    c(
      (a) => flatten(a!, 1),
      () => [randn([2, 2, 3])],
    ),
    c(
      (a) => flatten(a!, 0, 1),
      () => [randn([2, 2, 3])],
    ),
  ],
  squeeze: [
    c(
      (a) => squeeze(a!),
      () => [randn([2, 1, 3])],
    ),
    c(
      (a) => squeeze(a!, -1),
      () => [randn([3, 1])],
    ),
  ],
  unsqueeze: [
    c(
      (a) => unsqueeze(a!, -1),
      () => [randn([2, 3])],
    ),
  ],
  expand: [
    c(
      (a) => expand(a!, [2, 3, 4]),
      () => [randn([3, 1])],
    ),
  ],
  concat: [
    c(
      (a, b) => concat([a!, b!], 1),
      () => [randn([2, 1]), randn([2, 3])],
    ),
  ],
  stack: [
    c(
      (a, b, d) => stack([a!, b!, d!], -1),
      () => [randn([2, 3]), randn([2, 3]), randn([2, 3])],
    ),
  ],
  slice: [
    c(
      (a) => slice(a!, 1, 1, 3),
      () => [randn([2, 4])],
    ),
    c(
      (a) => slice(a!, 0, -4, undefined, 2),
      () => [randn([5, 2])],
    ),
  ],
  pad: [
    c(
      (a) => pad(a!, [1, 2, 0, 1], 0.5),
      () => [randn([2, 3])],
    ),
  ],
  indexSelect: [
    c(
      (a, i) => indexSelect(a!, 1, i!),
      () => [randn([2, 3]), int32([2, 0, 2, 1])],
    ),
  ],
  embedding: [
    c(
      (w, i) => embedding(w!, i!),
      () => [randn([4, 3]), int32([1, 3, 1, 0, 2, 1], [2, 3])],
    ),
  ],
  gather: [
    c(
      (a, i) => gather(a!, 1, i!),
      () => [randn([2, 3]), int32([0, 2, 2, 1, 1, 0], [2, 3])],
    ),
  ],
  softmax: [
    c(
      (a) => softmax(a!),
      () => [randn([2, 4])],
    ),
    c(
      (a) => softmax(a!, 0),
      () => [randn([3, 2])],
    ),
  ],
  logSoftmax: [
    c(
      (a) => logSoftmax(a!, 1),
      () => [randn([2, 4, 2])],
    ),
  ],
  linear: [
    c(
      (x, w, b) => linear(x!, w!, b!),
      () => [randn([3, 4]), randn([2, 4]), randn([2])],
    ),
    c(
      (x, w) => linear(x!, w!),
      () => [randn([2, 2, 3]), randn([4, 3])],
    ),
    c(
      (x, w, b) => linear(x!, w!, b!),
      () => [randn([3]), randn([2, 3]), randn([2])],
    ),
  ],
  conv2d: [
    c(
      (x, w, b) => conv2d(x!, w!, b!, { padding: 1 }),
      () => [randn([2, 2, 4, 4]), randn([3, 2, 3, 3]), randn([3])],
    ),
    c(
      (x, w) => conv2d(x!, w!, null, { stride: 2, dilation: [1, 2], groups: 2 }),
      () => [randn([1, 4, 5, 6]), randn([2, 2, 2, 2])],
    ),
  ],
  maxPool2d: [
    c(
      (x) => maxPool2d(x!, { kernelSize: 2, stride: 1, padding: 1 }),
      () => [distinct([1, 2, 3, 3])],
    ),
  ],
  // The indices are integer and piecewise constant: checked through the unpooling they steer, where a
  // wrong index moves a gradient to the wrong cell (distinct() keeps every max clear of a tie).
  maxPool2dIndices: [
    c(
      (x) =>
        maxUnpool2d(maxPool2d(x!, { kernelSize: 2 }), maxPool2dIndices(x!, { kernelSize: 2 }), {
          kernelSize: 2,
          outputSize: x!.shape,
        }),
      () => [distinct([2, 2, 4, 5])],
    ),
    c(
      (x) => {
        // Windows must not overlap here: a max shared by two windows is scattered twice, and its
        // gradient (PyTorch's: a gather per value) counts twice where finite differences count once.
        const opts = { kernelSize: 2, padding: 1, ceilMode: true };
        const { values, indices } = maxPool2dWithIndices(x!, opts);
        return mul(maxUnpool2d(values, indices, { ...opts, outputSize: [5, 4] }), x!);
      },
      () => [distinct([3, 5, 4])],
    ),
  ],
  maxUnpool2d: [
    // Distinct indices per plane (a permutation's head): each value lands in its own cell.
    c(
      (v) =>
        maxUnpool2d(
          v!,
          T.reshape(T.randperm(24, { generator: new T.Generator(3) }).slice(0, 0, 12), [1, 1, 3, 4]),
          { kernelSize: [2, 3], stride: [1, 2], padding: [0, 1], outputSize: [4, 6] },
        ),
      () => [randn([1, 1, 3, 4])],
    ),
    c(
      (v, i) => maxUnpool2d(v!, i!, { kernelSize: 2, outputSize: [1, 2, 5, 3] }),
      () => [randn([1, 2, 2, 1]), int32([4, 14, 9, 0], [1, 2, 2, 1])],
    ),
  ],
  avgPool2d: [
    c(
      (x) => avgPool2d(x!, { kernelSize: 3, stride: 2, padding: 1 }),
      () => [randn([1, 2, 4, 4])],
    ),
    c(
      (x) => avgPool2d(x!, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }),
      () => [randn([2, 1, 4, 3])],
    ),
  ],
  adaptiveAvgPool2d: [
    // 7×5 → 3×2: windows of different sizes that overlap (no fixed-window ONNX form).
    c(
      (x) => adaptiveAvgPool2d(x!, [3, 2]),
      () => [randn([1, 2, 7, 5])],
      /input 7×5 → output 3×2/,
    ),
    c(
      (x) => adaptiveAvgPool2d(x!, [2, null]),
      () => [randn([2, 1, 4, 3])],
    ),
    c(
      (x) => adaptiveAvgPool2d(x!, 1),
      () => [randn([3, 2, 3])],
    ),
  ],
  // A fresh generator with the same seed per call: every probe sees the same mask.
  dropout: [
    c(
      (x) => dropout(x!, 0.4, true, new T.Generator(7)),
      () => [randn([3, 4])],
    ),
  ],
  gruCell: [
    c(
      (xp, hp, h) => gruCell(xp!, hp!, h!),
      () => [randn([3, 6]), randn([3, 6]), randn([3, 2])],
    ),
  ],
  lstmCell: [
    c(
      (xp, hp, cc) => lstmCell(xp!, hp!, cc!),
      () => [randn([3, 8]), randn([3, 8]), randn([3, 2])],
    ),
  ],
  gruSequence: [
    c(
      (x, h0, wi, wh, bi, bh) => gruSequence(x!, h0!, wi!, wh!, bi!, bh!),
      () => [randn([3, 2, 2]), randn([2, 2]), randn([6, 2]), randn([6, 2]), randn([6]), randn([6])],
      /export the GRU layer/,
    ),
    c(
      (x, h0, wi, wh) => gruSequence(x!, h0!, wi!, wh!, null, null, { reverse: true }),
      () => [randn([2, 3, 1]), randn([3, 2]), randn([6, 1]), randn([6, 2])],
      /export the GRU layer/,
    ),
  ],
  lstmSequence: [
    c(
      (x, h0, c0, wi, wh, bi, bh) => lstmSequence(x!, h0!, c0!, wi!, wh!, bi!, bh!),
      () => [
        randn([3, 2, 2]),
        randn([2, 2]),
        randn([2, 2]),
        randn([8, 2]),
        randn([8, 2]),
        randn([8]),
        randn([8]),
      ],
      /export the LSTM layer/,
    ),
    c(
      (x, h0, c0, wi, wh) => lstmSequence(x!, h0!, c0!, wi!, wh!, null, null, { reverse: true }),
      () => [randn([2, 3, 1]), randn([3, 2]), randn([3, 2]), randn([8, 1]), randn([8, 2])],
      /export the LSTM layer/,
    ),
  ],
  batchNorm: [
    c(
      (x, w, b) => batchNorm(x!, null, null, w!, b!, { training: true }),
      () => [randn([4, 3]), randn([3]), randn([3])],
    ),
    c(
      (x, w) => batchNorm(x!, null, null, w!, null, { training: true, eps: 1e-3 }),
      () => [randn([2, 2, 3, 2]), randn([2])],
    ),
    c(
      (x, w, b) => batchNorm(x!, T.tensor([0.1, -0.2]), T.tensor([0.5, 2]), w!, b!, { training: false }),
      () => [randn([3, 2, 2]), randn([2]), randn([2])],
    ),
  ],
  layerNorm: [
    c(
      (x, w, b) => layerNorm(x!, [4], w!, b!),
      () => [randn([3, 4]), randn([4]), randn([4])],
    ),
    c(
      (x) => layerNorm(x!, [2, 3], null, null, 1e-3),
      () => [randn([2, 2, 3])],
    ),
    c(
      (x, b) => layerNorm(x!, 3, null, b!),
      () => [randn([2, 3]), randn([3])],
    ),
  ],
  gelu: [
    c(
      (a) => gelu(a!),
      () => [T.mul(randn([2, 4]), 2)],
    ),
    c(
      (a) => gelu(a!, 'tanh'),
      () => [T.mul(randn([2, 4]), 2)],
    ),
  ],
  crossEntropy: [
    c(
      (x, t) => crossEntropy(x!, t!),
      () => [randn([4, 3]), int32([0, 2, 1, 2])],
    ),
    c(
      (x, t) => crossEntropy(x!, t!, { weight: T.tensor([0.2, 1, 3]), labelSmoothing: 0.1, ignoreIndex: 1 }),
      () => [randn([5, 3]), int32([0, 1, 2, 2, 0])],
      /labelSmoothing 0\.1/,
    ),
    c(
      (x, t) => crossEntropy(x!, t!, { reduction: 'none', labelSmoothing: 0.2 }),
      () => [randn([2, 3, 2]), int32([0, 2, 1, 1], [2, 2])],
      /labelSmoothing 0\.2/,
    ),
    c(
      (x, t) => crossEntropy(x!, t!, { reduction: 'sum' }),
      () => [randn([4]), int32([3], [])],
      /unbatched logits \[4\]/,
    ),
    c(
      (x, t) => crossEntropy(x!, t!, { weight: T.tensor([1, 2, 0.5]) }),
      () => [randn([2, 3]), T.softmax(randn([2, 3]), 1)],
      /float64 probability targets/,
    ),
    c(
      (x, t) => crossEntropy(x!, t!, { reduction: 'none', ignoreIndex: 2 }),
      () => [randn([3, 4, 2]), int32([0, 2, 1, 3, 2, 2], [3, 2])],
    ),
  ],
};

describe('gradcheck of every registered op', () => {
  for (const [name, list] of Object.entries(cases)) {
    list.forEach((k, i) => {
      it(`${name} #${i}`, () => {
        expect(gradcheck(k.fn, k.inputs())).toBe(true);
      });
    });
  }
});

describe('op registry', () => {
  it('has a gradcheck case for every registered op', () => {
    const missing = [...registeredOps().keys()].filter((n) => !(n in cases));
    expect(missing).toEqual([]);
  });

  it('gives every op an ONNX emitter or a reason why not', () => {
    const bad = [...registeredOps().values()]
      .filter(
        (s) =>
          !(
            typeof s.onnx === 'function' ||
            (typeof s.onnx === 'object' && typeof s.onnx.unsupported === 'string')
          ),
      )
      .map((s) => s.name);
    expect(bad).toEqual([]);
  });
});

describe('ONNX emitters', () => {
  // The recorded graph of each case, walked input-first through the emitters.
  for (const [name, list] of Object.entries(cases)) {
    list.forEach((k, i) => {
      it(`${name} #${i} emits nodes`, () => {
        const out = recordGraph(() => k.fn(...k.inputs().map((t) => new Variable(t))));
        const g = new RecordingBuilder();
        if (k.onnxError) {
          expect(() => emitGraph(g, out)).toThrow(k.onnxError);
          return;
        }
        expect(typeof emitGraph(g, out)).toBe('string');
        expect(g.nodes.length).toBeGreaterThan(0);
      });
    });
  }
});
