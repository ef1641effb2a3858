// Every op with an ONNX emitter, exported alone and run in onnxruntime-node and -web; and one model
// chaining the batch-agnostic ones, run at two batch sizes. A meta-test keeps the list complete.
import * as A from '@tsdl/autograd';
import { recordGraph, registeredOps, type Variable } from '@tsdl/autograd';
import { AdaptiveAvgPool2d, Flatten, GELU, LayerNorm, Linear, Module, Sequential } from '@tsdl/nn';
import * as T from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from './export.js';
import { OnnxSession } from './run-onnx.js';
import { checkModel, requireOnnxChecker } from './test-utils/onnx-checker.js';

const hasChecker = requireOnnxChecker();
type Fn = (...xs: Variable[]) => Variable;

class FnModule extends Module {
  constructor(private readonly fn: Fn) {
    super();
  }
  forward(...xs: Variable[]): Variable {
    return this.fn(...xs);
  }
}

let seed = 1;
const r = (shape: number[]) => T.randn(shape, { generator: new T.Generator(seed++) });
const i32 = (v: number[], shape = [v.length]) => T.tensor(v, { dtype: 'int32', shape });
/** Weights from their own generators, so that adding cases draws no numbers away from the others. */
const fixed = (shape: number[], s: number) => T.randn(shape, { generator: new T.Generator(s) });
const W = {
  lin: r([4, 3]),
  linB: r([4]),
  conv: r([4, 2, 3, 3]),
  convB: r([4]),
  convG: r([4, 1, 2, 4]),
  bn: [r([3]), T.add(T.abs(r([3])), 0.5), r([3]), r([3])],
};

/** [covered op names, function, inputs]. */
const cases: Record<string, [string[], Fn, T.Tensor[]]> = {
  arithmetic: [
    ['add', 'sub', 'mul', 'div', 'neg'],
    (x, y) => A.neg(A.div(A.mul(A.sub(A.add(x, y), 1), y), A.add(A.abs(y), 1))),
    [r([2, 3]), r([3])],
  ],
  relu: [['relu'], (x) => A.relu(x), [r([2, 3])]],
  pow: [['pow'], (x, y) => A.add(A.pow(x, 3), A.pow(A.abs(x), y)), [r([2, 3]), r([3])]],
  expLog: [['exp', 'log'], (x) => A.add(A.exp(x), A.log(A.abs(x))), [r([2, 3])]],
  sqrt: [['sqrt', 'abs'], (x) => A.sqrt(A.abs(x)), [r([2, 3])]],
  squash: [
    ['sigmoid', 'tanh', 'leakyRelu'],
    (x) => A.add(A.sigmoid(x), A.mul(A.tanh(x), A.leakyRelu(x, 0.2))),
    [r([2, 3])],
  ],
  gruCell: [['gruCell'], (x, h, p) => A.gruCell(x, h, p), [r([2, 6]), r([2, 6]), r([2, 2])]],
  lstmCell: [['lstmCell'], (x, h, c) => A.lstmCell(x, h, c), [r([2, 8]), r([2, 8]), r([2, 2])]],
  clamp: [['clamp'], (x) => A.add(A.clamp(x, -0.5, 0.3), A.clamp(x, null, 0.1)), [r([2, 3])]],
  maxMin2: [['maximum', 'minimum'], (x, y) => A.add(A.maximum(x, y), A.minimum(x, y)), [r([2, 3]), r([3])]],
  where: [['where'], (x, y) => A.where(i32([1, 0, 1]), x, y), [r([2, 3]), r([2, 3])]],
  reduce: [
    ['sum', 'mean', 'max', 'min'],
    (x) => A.add(A.add(A.sum(x, 1), A.mean(x, 1)), A.add(A.max(x, 1), A.min(x, 1))),
    [r([2, 3, 4])],
  ],
  shape: [
    ['reshape', 'permute', 'flatten', 'squeeze', 'unsqueeze', 'expand'],
    (x) =>
      A.flatten(
        A.expand(A.unsqueeze(A.squeeze(A.permute(A.reshape(x, [2, 1, 12]), [0, 2, 1]), 2), 1), [2, 3, 12]),
        1,
      ),
    [r([2, 3, 4])],
  ],
  join: [
    ['concat', 'stack'],
    (x, y) => A.flatten(A.stack([A.concat([x, y], -1), A.concat([y, x], -1)], 1), 1),
    [r([2, 3]), r([2, 3])],
  ],
  slicePad: [['slice', 'pad'], (x) => A.pad(A.slice(x, 1, 1, 4, 2), [1, 2, 0, 1], 0.5), [r([2, 5])]],
  index: [
    ['indexSelect', 'embedding', 'gather'],
    (x) =>
      A.add(
        A.add(A.indexSelect(x, 1, [2, 0, 2]), A.gather(x, 1, i32([0, 2, 2, 1, 0, 1], [2, 3]))),
        A.sum(A.embedding(x, i32([1, 0])), 0),
      ),
    [r([2, 3])],
  ],
  softmax: [['softmax', 'logSoftmax'], (x) => A.add(A.softmax(x, 1), A.logSoftmax(x, 1)), [r([2, 3])]],
  linear: [['linear', 'matmul'], (x) => A.matmul(A.linear(x, W.lin, W.linB), W.lin), [r([2, 3])]],
  conv: [['conv2d'], (x) => A.conv2d(x, W.conv, W.convB, { padding: 1, stride: 2 }), [r([2, 2, 6, 5])]],
  convGroups: [
    ['conv2d'],
    (x) => A.conv2d(x, W.convG, null, { padding: [1, 3], groups: 2, dilation: [1, 2] }),
    [r([1, 2, 6, 7])],
  ],
  pool: [
    ['maxPool2d', 'avgPool2d'],
    (x) =>
      A.add(
        A.maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }),
        A.avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }),
      ),
    [r([1, 2, 6, 6])],
  ],
  // Indices (int32 out of the graph) and unpooling: MaxUnpool where pads can give the output size
  // (with and without pads, batched and not), ScatterElements where they cannot (a leftover row/column).
  poolIndices: [
    ['maxPool2dIndices'],
    (x) => A.maxPool2dIndices(x, { kernelSize: 3, stride: 2, padding: 1, dilation: [1, 2], ceilMode: true }),
    [r([2, 3, 7, 9])],
  ],
  unpool: [
    ['maxUnpool2d'],
    (x) => {
      const { values, indices } = A.maxPool2dWithIndices(x, { kernelSize: 3, stride: 2, padding: 1 });
      return A.maxUnpool2d(values, indices, { kernelSize: 3, stride: 2, padding: 1, outputSize: [8, 9] });
    },
    [r([1, 2, 8, 9])],
  ],
  unpoolUnbatched: [
    ['maxUnpool2d'],
    (x) =>
      A.maxUnpool2d(A.maxPool2d(x, { kernelSize: 2 }), A.maxPool2dIndices(x, { kernelSize: 2 }), {
        kernelSize: 2,
      }),
    [r([3, 6, 8])],
  ],
  unpoolScatter: [
    ['maxUnpool2d'],
    (x) => {
      const { values, indices } = A.maxPool2dWithIndices(x, { kernelSize: 2 });
      return A.maxUnpool2d(values, indices, { kernelSize: 2, outputSize: [7, 9] });
    },
    [r([2, 3, 7, 9])],
  ],
  unpoolScatterUnbatched: [
    ['maxUnpool2d'],
    (x) => {
      const { values, indices } = A.maxPool2dWithIndices(x, { kernelSize: [2, 3], stride: [2, 1] });
      return A.maxUnpool2d(values, indices, { kernelSize: [2, 3], stride: [2, 1], outputSize: [5, 7] });
    },
    [r([2, 5, 7])],
  ],
  batchNormDropout: [
    ['batchNorm', 'dropout'],
    (x) => A.dropout(A.batchNorm(x, W.bn[0]!, W.bn[1]!, W.bn[2]!, W.bn[3]!, { training: false }), 0.5, false),
    [r([2, 3, 2, 2])],
  ],
  crossEntropy: [
    ['crossEntropy'],
    (x) => A.crossEntropy(x, i32([0, 2, 1, 2]), { weight: T.tensor([0.5, 1, 2]), ignoreIndex: 1 }),
    [r([4, 3])],
  ],
  layerNorm: [
    ['layerNorm'],
    (x) =>
      A.add(
        A.layerNorm(x, [3, 4], fixed([3, 4], 101), fixed([3, 4], 102), 1e-3),
        A.layerNorm(x, 4, null, fixed([4], 103)),
      ),
    [r([2, 3, 4])],
  ],
  // Scaled so that the tails (|x| up to ~10) are exercised too.
  gelu: [['gelu'], (x) => A.add(A.gelu(A.mul(x, 4)), A.gelu(A.mul(x, 4), 'tanh')), [r([4, 6])]],
  adaptivePool: [
    ['adaptiveAvgPool2d'],
    (x) => A.add(A.adaptiveAvgPool2d(x, [3, null]), A.adaptiveAvgPool2d(x, 1)), // AveragePool, GlobalAveragePool
    [r([2, 3, 6, 5])],
  ],
  adaptivePoolUnbatched: [
    ['adaptiveAvgPool2d'],
    (x) => A.mul(A.adaptiveAvgPool2d(x, [2, 3]), A.adaptiveAvgPool2d(x, [1, 1])),
    [r([3, 4, 9])],
  ],
};

function maxRelDiff(a: T.Tensor, b: T.Tensor): number {
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  let m = 0;
  for (let i = 0; i < y.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!) / (1 + Math.abs(y[i]!)));
  return m;
}

describe('every op with an ONNX emitter', () => {
  it('is exercised by a case here (meta-test)', () => {
    const covered = new Set(Object.values(cases).flatMap(([ops]) => ops));
    const exportable = [...registeredOps()].filter(([, s]) => typeof s.onnx === 'function').map(([n]) => n);
    expect(exportable.filter((n) => !covered.has(n))).toEqual([]);
  });

  for (const [name, [ops, fn, inputs]] of Object.entries(cases)) {
    it(`${name} (${ops.join(', ')}) matches in onnxruntime-node and -web`, async () => {
      const expected = fn(...inputs.map((t) => new A.Variable(t))).data;
      const bytes = exportOnnx(new FnModule(fn), inputs, { dynamicBatch: false });
      if (hasChecker) checkModel(bytes);
      const feeds = Object.fromEntries(
        inputs.map((t, i) => [inputs.length === 1 ? 'input' : `input_${i}`, t]),
      );
      for (const backend of ['node', 'web'] as const) {
        const s = await OnnxSession.create(bytes, { backend });
        const out = (await s.run(feeds)).output!;
        await s.release();
        expect(out.shape).toEqual(expected.shape);
        expect(maxRelDiff(out, expected)).toBeLessThan(1e-5);
      }
    });
  }
});

describe('pooling indices and unpooling at two batch sizes', () => {
  // An encoder-decoder in the SegNet manner: the indices are computed by the graph, not frozen.
  class PoolUnpool extends Module {
    forward(x: Variable): Variable[] {
      const { values, indices } = A.maxPool2dWithIndices(x, { kernelSize: 2 });
      const same = A.maxUnpool2d(values, indices, { kernelSize: 2, outputSize: [6, 8] }); // MaxUnpool
      const odd = A.slice(A.slice(x, 2, 0, 5), 3, 0, 7);
      const p = A.maxPool2dWithIndices(odd, { kernelSize: 2 });
      const back = A.maxUnpool2d(p.values, p.indices, { kernelSize: 2, outputSize: [5, 7] }); // ScatterElements
      return [A.add(same, x), back, indices];
    }
  }
  const model = new PoolUnpool();
  const bytes = exportOnnx(model, [r([2, 3, 6, 8])]);

  it('passes onnx.checker', () => {
    if (hasChecker) checkModel(bytes);
  });

  for (const backend of ['node', 'web'] as const) {
    it(`matches tsdl at batch 1 and 4 in onnxruntime-${backend}, indices exactly`, async () => {
      const s = await OnnxSession.create(bytes, { backend });
      for (const n of [1, 4]) {
        const x = r([n, 3, 6, 8]);
        const ours = model.forward(new A.Variable(x)).map((v) => v.data);
        const theirs = await s.run({ input: x });
        ours.forEach((t, k) => {
          const got = theirs[`output_${k}`]!;
          expect(got.shape).toEqual(t.shape);
          expect(got.dtype).toBe(t.dtype);
          expect(Array.from(got.toTypedArray())).toEqual(Array.from(t.toTypedArray()));
        });
      }
      await s.release();
    });
  }
});

describe('one model chaining the batch-agnostic ops, at two batch sizes', () => {
  const lin = r([8, 36]);
  const linB = r([8]);
  const sq = r([8, 8]);
  class Everything extends Module {
    forward(x: Variable): Variable {
      const c = A.conv2d(x, W.conv, W.convB, { padding: 1 }); // [N,4,6,6]
      const b = A.batchNorm(A.slice(c, 1, 0, 3), W.bn[0]!, W.bn[1]!, W.bn[2]!, W.bn[3]!, { training: false });
      const p = A.add(
        A.maxPool2d(A.concat([b, A.slice(c, 1, 3)], 1), { kernelSize: 2 }),
        A.avgPool2d(c, { kernelSize: 3, stride: 2, padding: 1 }),
      );
      const f = A.flatten(A.dropout(p, 0.5, false), 1); // [N,36]
      const h = A.linear(f, lin, linB); // [N,8]
      const e = A.add(A.mul(A.sigmoid(h), A.tanh(h)), A.sub(A.leakyRelu(h, 0.1), A.relu(A.neg(h))));
      const g = A.div(
        A.add(A.sqrt(A.abs(e)), A.log(A.add(A.exp(A.clamp(e, -3, 3)), 1))),
        A.add(A.pow(e, 2), 1),
      );
      const m = A.add(A.maximum(g, 0.1), A.minimum(g, A.where(i32([1, 0, 1, 0, 1, 0, 1, 0]), h, e)));
      const red = A.add(
        A.add(A.sum(m, 1, true), A.mean(m, 1, true)),
        A.add(A.max(m, 1, true), A.min(m, 1, true)),
      );
      const s = A.add(A.matmul(m, sq), red); // [N,8]
      const u = A.squeeze(A.transpose(A.unsqueeze(s, 2), 1, 2), 1); // [N,8]
      const picked = A.add(A.indexSelect(u, 1, [7, 0, 3, 3]), A.gather(u, 1, i32([1, 2, 5, 6], [1, 4])));
      const padded = A.pad(picked, [1, 1]); // [N,6]
      const emb = A.sum(A.embedding(sq, i32([2, 5])), 0); // [8] constant branch
      return A.concat(
        [
          A.softmax(padded, 1),
          A.logSoftmax(A.add(u, emb), 1),
          A.permute(A.stack([red, red], 2), [0, 2, 1]).reshape([-1, 2]),
        ],
        1,
      );
    }
  }
  const model = new Everything();
  const bytes = exportOnnx(model, [r([2, 2, 6, 6])]);

  it('passes onnx.checker', () => {
    if (hasChecker) checkModel(bytes);
  });

  for (const backend of ['node', 'web'] as const) {
    // ~30 chained float32 ops: tsdl rounds each op's float64 result once, onnxruntime computes in
    // float32 throughout, so a few ulps accumulate; the single-model tests hold 1e-5.
    it(`matches tsdl at batch 1 and 6 in onnxruntime-${backend} (5e-5)`, async () => {
      const s = await OnnxSession.create(bytes, { backend });
      for (const n of [1, 6]) {
        const x = r([n, 2, 6, 6]);
        const ours = model.forward(new A.Variable(x)).data;
        const theirs = (await s.run({ input: x })).output!;
        expect(theirs.shape).toEqual(ours.shape);
        expect(maxRelDiff(theirs, ours)).toBeLessThan(5e-5);
      }
      await s.release();
    });
  }

  it('traces most registered ops', () => {
    const out = recordGraph(() => A.noGrad(() => model.forward(new A.Variable(r([1, 2, 6, 6])))));
    const seen = new Set<string>();
    const stack: Variable[] = [out];
    while (stack.length) {
      const v = stack.pop()!;
      if (v.node && !seen.has(`${v.node.spec.name}`)) seen.add(v.node.spec.name);
      if (v.node) stack.push(...v.node.inputs);
    }
    expect(seen.size).toBeGreaterThanOrEqual(35);
  });
});

describe('LayerNorm, GELU and AdaptiveAvgPool2d layers in one model, at two batch sizes', () => {
  const g = new T.Generator(7);
  const model = new Sequential(
    new AdaptiveAvgPool2d([2, 3]), // [N, 3, 4, 9] → [N, 3, 2, 3]
    new Flatten(),
    new LayerNorm(18),
    new GELU(),
    new Linear(18, 5, { generator: g }),
    new GELU({ approximate: 'tanh' }),
  );
  const ln = model.namedParameters().find(([k]) => k === '2.weight')![1];
  ln.data.data.set(T.randn([18], { generator: g }).toTypedArray()); // not just ones
  const bytes = exportOnnx(model, [r([2, 3, 4, 9])]);

  it('passes onnx.checker', () => {
    if (hasChecker) checkModel(bytes);
  });

  for (const backend of ['node', 'web'] as const) {
    it(`matches tsdl at batch 1 and 5 in onnxruntime-${backend}`, async () => {
      const s = await OnnxSession.create(bytes, { backend });
      for (const n of [1, 5]) {
        const x = r([n, 3, 4, 9]);
        const ours = model.forward(new A.Variable(x)).data;
        const theirs = (await s.run({ input: x })).output!;
        expect(theirs.shape).toEqual(ours.shape);
        expect(maxRelDiff(theirs, ours)).toBeLessThan(1e-5);
      }
      await s.release();
    });
  }
});
