export { type DType, type TypedArray, promoteTypes } from './dtype.js';
export { TensorError } from './errors.js';
export { Tensor, type NestedArray } from './tensor.js';
export { tensor, zeros, ones, full, zerosLike, onesLike, arange, linspace, eye, type TensorOptions } from './creation.js';
export { Generator, type GeneratorState, defaultGenerator, manualSeed, rand, randn, randint, randperm, type RandomOptions } from './random.js';
export {
  add, sub, mul, div, pow, neg, abs, sign, exp, log, sqrt, clamp, maximum, minimum,
  relu, leakyRelu, sigmoid, tanh, eq, ne, gt, lt, ge, le, where, type Operand,
} from './elementwise.js';
export { sum, mean, max, min, argmax, argmin, var_ as var, std, type Axis } from './reduce.js';
export { reshape, permute, transpose, flatten, squeeze, unsqueeze, expand } from './view.js';
export { slice } from './slice.js';
export { pad } from './pad.js';
export { concat, stack, split } from './join.js';
export { indexSelect, gather, indexAdd, scatterAdd } from './gather.js';
export { matmul } from './matmul.js';
export { softmax, logSoftmax } from './softmax.js';
export { conv2d, conv2dGradInput, conv2dGradWeight, type Conv2dOptions, type Pair } from './conv2d.js';
export { maxPool2d, avgPool2d, maxPool2dGrad, avgPool2dGrad, type MaxPool2dOptions, type AvgPool2dOptions } from './pool.js';
