export { adamMoments, adamStep } from './adam-step.js';
export {
  type AdaptiveOutputSize,
  adaptiveAvgPool2d,
  adaptiveAvgPool2dGrad,
} from './adaptive-avg-pool2d.js';
export {
  type BatchNormBackwardResult,
  type BatchNormForwardOptions,
  type BatchNormForwardResult,
  batchNormBackward,
  batchNormForward,
  batchNormStats,
} from './batch-norm.js';
export { type Conv2dOptions, conv2d, conv2dGradInput, conv2dGradWeight, type Pair } from './conv2d.js';
export {
  arange,
  eye,
  full,
  linspace,
  ones,
  onesLike,
  type TensorOptions,
  tensor,
  zeros,
  zerosLike,
} from './creation.js';
export { type DType, promoteTypes, type TypedArray } from './dtype.js';
export {
  abs,
  add,
  clamp,
  div,
  eq,
  exp,
  ge,
  gt,
  le,
  leakyRelu,
  log,
  lt,
  maximum,
  minimum,
  mul,
  ne,
  neg,
  type Operand,
  pow,
  relu,
  reluGrad,
  sigmoid,
  sign,
  sqrt,
  sub,
  tanh,
  where,
} from './elementwise.js';
export { erf, erfc } from './erf.js';
export { TensorError } from './errors.js';
export { gather, indexAdd, indexSelect, scatterAdd } from './gather.js';
export { type GeluApproximate, gelu, geluGrad } from './gelu.js';
export { gruCellStep, gruCellStepGrad } from './gru-cell-step.js';
export { concat, split, stack } from './join.js';
export {
  type AdamKernel,
  type AdamScalars,
  type FloatArray,
  type Kernels,
  referenceKernels,
  type SgdScalars,
  type SgemmKernel,
  setKernel,
  type Window2d,
} from './kernels.js';
export {
  type LayerNormBackwardResult,
  type LayerNormForwardResult,
  layerNormBackward,
  layerNormForward,
} from './layer-norm.js';
export { lstmCellStep, lstmCellStepGrad } from './lstm-cell-step.js';
export { matmul } from './matmul.js';
export { type MaxUnpool2dOptions, maxUnpool2d } from './max-unpool2d.js';
export { pad } from './pad.js';
export {
  type AvgPool2dOptions,
  avgPool2d,
  avgPool2dGrad,
  type MaxPool2dOptions,
  maxPool2d,
  maxPool2dGrad,
  maxPool2dWithIndices,
} from './pool.js';
export {
  defaultGenerator,
  Generator,
  type GeneratorState,
  manualSeed,
  type RandomOptions,
  rand,
  randint,
  randn,
  randperm,
} from './random.js';
export { type Axis, argmax, argmin, max, mean, min, std, sum, var_ as var } from './reduce.js';
export { sgdStep } from './sgd-step.js';
export { slice } from './slice.js';
export { logSoftmax, softmax } from './softmax.js';
export { type NestedArray, Tensor } from './tensor.js';
export { expand, flatten, permute, reshape, squeeze, transpose, unsqueeze } from './view.js';
export { type KernelBackend, kernelBackend } from './wasm/install.js';
export { getNumThreads, setNumThreads } from './wasm/thread-pool.js';

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
export type { EighOptions, EighResult } from './linalg/eigh.js';
export type { LstsqOptions, LstsqResult } from './linalg/lstsq.js';
export type { NormOrd } from './linalg/norm.js';
export type { PCA, PcaOptions } from './linalg/pca.js';
export type { QrMode, QrOptions, QrResult } from './linalg/qr.js';
export type { SvdOptions, SvdResult } from './linalg/svd.js';
export type { TruncatedSvdOptions } from './linalg/truncated-svd.js';
