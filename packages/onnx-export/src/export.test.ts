import { add, defineOp, matmul, relu, Variable } from '@tsdl/autograd';
import { Module, Parameter } from '@tsdl/nn';
import { Generator, randn, type Tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from './export.js';
import { OnnxSession } from './run-onnx.js';
import { checkModel, requireOnnxChecker } from './test-utils/onnx-checker.js';

const gen = new Generator(7);

class TinyMlp extends Module {
  w1 = this.registerParameter('w1', new Parameter(randn([6, 5], { generator: gen })))!;
  b1 = this.registerParameter('b1', new Parameter(randn([5], { generator: gen })))!;
  w2 = this.registerParameter('w2', new Parameter(randn([5, 3], { generator: gen })))!;
  forward(x: Variable): Variable {
    return matmul(relu(add(matmul(x, this.w1), this.b1)), this.w2);
  }
}

function maxAbsDiff(a: Tensor, b: Tensor): number {
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  expect(x.length).toBe(y.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

describe('exportOnnx', () => {
  const model = new TinyMlp();
  const bytes = exportOnnx(model, [randn([2, 6], { generator: gen })]);

  it('names initializers by state-dict keys and passes onnx.checker', () => {
    const text = new TextDecoder('latin1').decode(bytes);
    for (const k of ['w1', 'b1', 'w2']) expect(text).toContain(k);
    if (requireOnnxChecker()) checkModel(bytes);
  });

  for (const backend of ['node', 'web'] as const) {
    it(`matches tsdl's forward in onnxruntime-${backend} at two batch sizes`, async () => {
      const s = await OnnxSession.create(bytes, { backend });
      for (const n of [1, 7]) {
        const x = randn([n, 6], { generator: gen });
        const ours = model.forward(new Variable(x)).data;
        const theirs = (await s.run({ input: x })).output!;
        expect(theirs.shape).toEqual([n, 3]);
        expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-5);
      }
      await s.release();
    });
  }

  it('names the op and the module path when an op has no ONNX form', () => {
    const opaque = defineOp({
      name: 'test-opaque',
      forward: ([x]) => x!,
      backward: (_ctx, dy) => [dy],
      onnx: { unsupported: 'defined only for this test' },
    });
    class Inner extends Module {
      forward(x: Variable): Variable {
        return opaque(x);
      }
    }
    class Outer extends Module {
      body = this.registerModule('body', new Inner());
      forward(x: Variable): Variable {
        return this.body.forward(x);
      }
    }
    expect(() => exportOnnx(new Outer(), [randn([2, 2])])).toThrow(
      "exportOnnx: op 'test-opaque' (in module 'body') has no ONNX form: defined only for this test",
    );
  });
});
