// add, sub, mul, div, neg: the broadcasting arithmetic ops (one concept: their grads share sumTo).
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import { sumTo } from '../sum-to.js';

export const add = defineOp({
  name: 'add',
  forward: ([a, b]) => T.add(a!, b!),
  backward: ({ inputs: [a, b], needsGrad }, dy) => [
    needsGrad[0] ? sumTo(dy, a!.shape) : null,
    needsGrad[1] ? sumTo(dy, b!.shape) : null,
  ],
  onnx: (g, [a, b]) => g.node('Add', [a!, b!])[0]!,
});

export const sub = defineOp({
  name: 'sub',
  forward: ([a, b]) => T.sub(a!, b!),
  backward: ({ inputs: [a, b], needsGrad }, dy) => [
    needsGrad[0] ? sumTo(dy, a!.shape) : null,
    needsGrad[1] ? sumTo(T.neg(dy), b!.shape) : null,
  ],
  onnx: (g, [a, b]) => g.node('Sub', [a!, b!])[0]!,
});

export const mul = defineOp({
  name: 'mul',
  forward: ([a, b]) => T.mul(a!, b!),
  backward: ({ inputs: [a, b], needsGrad }, dy) => [
    needsGrad[0] ? sumTo(T.mul(dy, b!), a!.shape) : null,
    needsGrad[1] ? sumTo(T.mul(dy, a!), b!.shape) : null,
  ],
  onnx: (g, [a, b]) => g.node('Mul', [a!, b!])[0]!,
});

export const div = defineOp({
  name: 'div',
  forward: ([a, b]) => T.div(a!, b!),
  backward: ({ inputs: [a, b], output, needsGrad }, dy) => [
    needsGrad[0] ? sumTo(T.div(dy, b!), a!.shape) : null,
    needsGrad[1] ? sumTo(T.neg(T.div(T.mul(dy, output), b!)), b!.shape) : null,
  ],
  onnx: (g, [a, b]) => g.node('Div', [a!, b!])[0]!,
});

export const neg = defineOp({
  name: 'neg',
  forward: ([x]) => T.neg(x!),
  backward: (_ctx, dy) => [T.neg(dy)],
  onnx: (g, [x]) => g.node('Neg', [x!])[0]!,
});
