import { expect, it } from 'vitest';
import { kernelBackend, referenceKernels } from '../index.js';
import { type Kernels, kernels } from '../kernels.js';

// Every kernel with a WebAssembly version (the sgemm family, pooling, Adam, SGD, the activation and
// elementwise groups, batch norm's): installed over its reference where the engine has SIMD.
const FAST: (keyof Kernels)[] = [
  'sgemm',
  'im2col',
  'col2im',
  'sgemmUnfold',
  'sgemmFold',
  'maxPool2d',
  'maxPool2dGrad',
  'adam',
  'adamMoments',
  'sgd',
  'sigmoid',
  'tanh',
  'lstmCell',
  'gruCell',
  'lstmCellGrad',
  'gruCellGrad',
  'binaryF32',
  'scalarF32',
  'relu',
  'reluGrad',
  'colSumsF32',
  'channelSums',
  'batchNormMoments',
  'batchNormApply',
  'batchNormGrad',
];

it('installs every WebAssembly kernel when SIMD is available, none without it', () => {
  const installed = FAST.filter((name) => kernels[name] !== referenceKernels[name]);
  expect(installed).toEqual(kernelBackend() === 'js' ? [] : FAST);
});
