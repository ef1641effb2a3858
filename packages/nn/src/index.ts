export {
  GELU,
  type GELUOptions,
  LeakyReLU,
  LogSoftmax,
  ReLU,
  Sigmoid,
  Softmax,
  Tanh,
} from './activations.js';
export { AdaptiveAvgPool2d } from './adaptive-avg-pool2d.js';
export { assertFinite, assertFiniteGrads, type FiniteCheckOptions, NonFiniteError } from './assert-finite.js';
export { BatchNorm1d, BatchNorm2d, type BatchNormOptions } from './batch-norm.js';
export { BCELoss } from './bce-loss.js';
export { BCEWithLogitsLoss, type BCEWithLogitsLossOptions } from './bce-with-logits-loss.js';
export {
  type CheckpointContents,
  type CheckpointInfo,
  loadCheckpoint,
  type Stateful,
  saveCheckpoint,
} from './checkpoint.js';
export { clipGradNorm } from './clip-grad-norm.js';
export { Conv2d, type Conv2dOptions } from './conv2d.js';
export { CrossEntropyLoss, type CrossEntropyLossOptions } from './cross-entropy-loss.js';
export { Dropout } from './dropout.js';
export { Embedding, type EmbeddingOptions } from './embedding.js';
export { Flatten } from './flatten.js';
export { GRU, type GRUOptions } from './gru.js';
export { HuberLoss } from './huber-loss.js';
export { Identity } from './identity.js';
export {
  calculateFanInAndFanOut,
  calculateGain,
  constant,
  type FanMode,
  type KaimingOptions,
  kaimingNormal,
  kaimingUniform,
  type Nonlinearity,
  normal,
  ones,
  uniform,
  type XavierOptions,
  xavierNormal,
  xavierUniform,
  zeros,
} from './init.js';
export { L1Loss } from './l1-loss.js';
export { LayerNorm, type LayerNormOptions } from './layer-norm.js';
export { Linear, type LinearOptions } from './linear.js';
export { LSTM, type LSTMOptions } from './lstm.js';
export { type LoadStateDictResult, Module, type StateDict } from './module.js';
export { ModuleList } from './module-list.js';
export { MSELoss } from './mse-loss.js';
export { NLLLoss, type NLLLossOptions } from './nll-loss.js';
export { Adam, type AdamOptions } from './optim/adam.js';
export { AdamW, type AdamWOptions } from './optim/adamw.js';
export { CosineAnnealingLR } from './optim/cosine-annealing-lr.js';
export { ExponentialLR } from './optim/exponential-lr.js';
export { LambdaLR, type LrLambda } from './optim/lambda-lr.js';
export { LinearLR, type LinearLROptions } from './optim/linear-lr.js';
export { LRScheduler, type SchedulerStateDict } from './optim/lr-scheduler.js';
export { MultiStepLR } from './optim/multi-step-lr.js';
export { OneCycleLR, type OneCycleLROptions } from './optim/one-cycle-lr.js';
export {
  Optimizer,
  type OptimizerOptions,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupInput,
  type ParamState,
} from './optim/optimizer.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './optim/reduce-lr-on-plateau.js';
export { RMSprop, type RMSpropOptions } from './optim/rmsprop.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
export { StepLR } from './optim/step-lr.js';
export { Parameter } from './parameter.js';
export {
  AvgPool2d,
  type AvgPool2dOptions,
  MaxPool2d,
  type MaxPool2dOptions,
  type MaxPool2dOutput,
  MaxUnpool2d,
  type MaxUnpool2dOptions,
} from './pooling.js';
export type { Reduction } from './reduction.js';
export { RNN, type RNNOptions } from './rnn.js';
export type { RNNBaseOptions } from './rnn-base.js';
export {
  decodeSafetensors,
  encodeSafetensors,
  loadSafetensors,
  type SafetensorsMetadata,
  type SafetensorsRecord,
  saveSafetensors,
} from './safetensors.js';
export { Sequential } from './sequential.js';
