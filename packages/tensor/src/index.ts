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
export { setKernel, referenceKernels, type Kernels, type SgemmKernel, type FloatArray, type Window2d } from './kernels.js';
export { kernelBackend, type KernelBackend } from './wasm/install.js';
export { setNumThreads, getNumThreads } from './wasm/thread-pool.js';
import { eigh } from './linalg/eigh.js';
import { lstsq } from './linalg/lstsq.js';
import { norm } from './linalg/norm.js';
import { pca } from './linalg/pca.js';
import { qr } from './linalg/qr.js';
import { solve } from './linalg/solve.js';
import { svd } from './linalg/svd.js';
import { truncatedSvd } from './linalg/truncated-svd.js';
/** Linear algebra in float64 (like torch.linalg, plus randomised SVD and PCA). */
export const linalg = { svd, eigh, qr, solve, lstsq, norm, truncatedSvd, pca };
export type { SvdOptions, SvdResult } from './linalg/svd.js';
export type { EighOptions, EighResult } from './linalg/eigh.js';
export type { QrMode, QrOptions, QrResult } from './linalg/qr.js';
export type { LstsqOptions, LstsqResult } from './linalg/lstsq.js';
export type { NormOrd } from './linalg/norm.js';
export type { TruncatedSvdOptions } from './linalg/truncated-svd.js';
export type { PCA, PcaOptions } from './linalg/pca.js';
