// The ONNX form chosen by the ops whose export depends on their arguments.
import * as T from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import {
  adaptiveAvgPool2d,
  conv2d,
  crossEntropy,
  dropout,
  flatten,
  gelu,
  layerNorm,
  linear,
  maxPool2d,
  recordGraph,
  slice,
  squeeze,
  Variable,
} from '../index.js';
import { emitGraph, RecordingBuilder } from '../test-utils/recording-builder.js';

const input = (shape: number[]) => new Variable(T.zeros(shape));

function emit(fn: () => Variable): RecordingBuilder {
  const g = new RecordingBuilder();
  emitGraph(g, recordGraph(fn));
  return g;
}

describe('ONNX emitters', () => {
  it('linear: Gemm(transB=1) for 2-d x, MatMul + Add otherwise', () => {
    const g2 = emit(() => linear(input([2, 3]), input([4, 3]), input([4])));
    expect(g2.opTypes).toEqual(['Gemm']);
    expect(g2.nodes[0]!.attrs.transB).toEqual({ i: 1 });
    expect(g2.nodes[0]!.inputs).toHaveLength(3);
    expect(emit(() => linear(input([2, 3]), input([4, 3]))).nodes[0]!.inputs).toHaveLength(2);
    expect(emit(() => linear(input([5, 2, 3]), input([4, 3]), input([4]))).opTypes).toEqual([
      'Transpose',
      'MatMul',
      'Add',
    ]);
  });

  it('flatten: Flatten only for (1, last), else a Reshape keeping leading dims symbolic', () => {
    expect(emit(() => flatten(input([2, 3, 4]), 1)).opTypes).toEqual(['Flatten']);
    const g = emit(() => flatten(input([2, 3, 4, 5]), 1, 2));
    expect(g.opTypes).toEqual(['Reshape']);
    expect(g.int64s.get(g.nodes[0]!.inputs[1]!)).toEqual([0, -1, 5]);
    const g0 = emit(() => flatten(input([2, 3])));
    expect(g0.int64s.get(g0.nodes[0]!.inputs[1]!)).toEqual([-1]);
  });

  it('squeeze lists only the dims it removed', () => {
    const g = emit(() => squeeze(input([1, 3, 1]), [0, 1]));
    expect(g.int64s.get(g.nodes[0]!.inputs[1]!)).toEqual([0]);
  });

  it('slice: open end becomes a huge int64 end', () => {
    const g = emit(() => slice(input([2, 5]), 1, -3));
    const [, starts, ends, axes, steps] = g.nodes[0]!.inputs;
    expect([g.int64s.get(starts!), g.int64s.get(ends!), g.int64s.get(axes!), g.int64s.get(steps!)]).toEqual([
      [-3],
      [Number.MAX_SAFE_INTEGER],
      [1],
      [1],
    ]);
  });

  it("conv2d: 'same' padding becomes explicit pads with the odd extra at the end", () => {
    const g = emit(() => conv2d(input([1, 1, 5, 5]), input([2, 1, 2, 4]), null, { padding: 'same' }));
    const attrs = g.nodes[0]!.attrs;
    expect(attrs.pads).toEqual({ ints: [0, 1, 1, 2] });
    expect(attrs.kernel_shape).toEqual({ ints: [2, 4] });
    expect(attrs.group).toEqual({ i: 1 });
  });

  it('maxPool2d: stride defaults to the kernel', () => {
    const g = emit(() => maxPool2d(input([1, 1, 4, 4]), { kernelSize: 2 }));
    expect(g.nodes[0]!.attrs.strides).toEqual({ ints: [2, 2] });
  });

  it('crossEntropy: LogSoftmax + NegativeLogLikelihoodLoss; label smoothing has no ONNX form', () => {
    const t = T.tensor([0, 2], { dtype: 'int32' });
    const g = emit(() => crossEntropy(input([2, 3]), t, { weight: T.ones([3]), reduction: 'sum' }));
    expect(g.opTypes).toEqual(['LogSoftmax', 'NegativeLogLikelihoodLoss']);
    expect(g.nodes[1]!.attrs).toEqual({ reduction: { s: 'sum' }, ignore_index: { i: -100 } });
    expect(g.nodes[1]!.inputs).toHaveLength(3);
    expect(() => emit(() => crossEntropy(input([2, 3]), t, { labelSmoothing: 0.1 }))).toThrow(
      /labelSmoothing/,
    );
  });

  it('layerNorm: LayerNormalization over the last dims, ones as Scale without a weight, no B without a bias', () => {
    const g = emit(() => layerNorm(input([2, 3, 4]), [3, 4], input([3, 4]), input([3, 4]), 1e-3));
    expect(g.opTypes).toEqual(['LayerNormalization']);
    expect(g.nodes[0]!.attrs).toEqual({ axis: { i: -2 }, epsilon: { f: 1e-3 } });
    expect(g.nodes[0]!.inputs).toHaveLength(3);
    const bare = emit(() => layerNorm(input([2, 4]), 4));
    expect(bare.nodes[0]!.inputs).toHaveLength(2);
    const scale = bare.constants.get(bare.nodes[0]!.inputs[1]!);
    expect(scale?.shape).toEqual([4]);
    expect(Array.from(scale!.toTypedArray())).toEqual([1, 1, 1, 1]);
  });

  it('gelu: Erf or Tanh spelled out (ONNX Gelu is opset 20)', () => {
    expect(emit(() => gelu(input([2, 3]))).opTypes).toEqual(['Mul', 'Erf', 'Add', 'Mul', 'Mul']);
    expect(emit(() => gelu(input([2, 3]), 'tanh')).opTypes).toEqual([
      'Pow',
      'Mul',
      'Add',
      'Mul',
      'Tanh',
      'Add',
      'Mul',
      'Mul',
    ]);
  });

  it('adaptiveAvgPool2d: GlobalAveragePool to 1×1, AveragePool when sizes divide, else a named error', () => {
    expect(emit(() => adaptiveAvgPool2d(input([2, 3, 5, 7]), 1)).opTypes).toEqual(['GlobalAveragePool']);
    const g = emit(() => adaptiveAvgPool2d(input([2, 3, 6, 8]), [3, null]));
    expect(g.opTypes).toEqual(['AveragePool']);
    expect(g.nodes[0]!.attrs.kernel_shape).toEqual({ ints: [2, 1] });
    expect(g.nodes[0]!.attrs.strides).toEqual({ ints: [2, 1] });
    expect(emit(() => adaptiveAvgPool2d(input([3, 6, 6]), 2)).opTypes).toEqual([
      'Unsqueeze',
      'AveragePool',
      'Squeeze',
    ]);
    expect(() => emit(() => adaptiveAvgPool2d(input([1, 1, 7, 5]), [3, 2]))).toThrow(
      "adaptiveAvgPool2d: ONNX export needs the input size to be a multiple of the output size (then the windows are AveragePool's), received input 7×5 → output 3×2",
    );
  });

  it('dropout in eval mode leaves no node at all', () => {
    const x = input([2, 2]);
    expect(recordGraph(() => dropout(x, 0.5, false))).toBe(x);
  });
});
