export { Module, type StateDict, type LoadStateDictResult } from './module.js';
export { Parameter } from './parameter.js';
export { Conv2d, type Conv2dOptions } from './conv2d.js';
export { MaxPool2d, AvgPool2d, type MaxPool2dOptions, type AvgPool2dOptions } from './pooling.js';
export { BatchNorm1d, BatchNorm2d, type BatchNormOptions } from './batch-norm.js';
export { Embedding, type EmbeddingOptions } from './embedding.js';
export { RNN, type RNNOptions } from './rnn.js';
export { LSTM, type LSTMOptions } from './lstm.js';
export { GRU, type GRUOptions } from './gru.js';
export type { RNNBaseOptions } from './rnn-base.js';
export { Sequential } from './sequential.js';
export { Linear, type LinearOptions } from './linear.js';
export { Flatten } from './flatten.js';
export { Dropout } from './dropout.js';
export { ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax } from './activations.js';
export type { Reduction } from './reduction.js';
export { MSELoss } from './mse-loss.js';
export { L1Loss } from './l1-loss.js';
export { HuberLoss } from './huber-loss.js';
export { BCELoss } from './bce-loss.js';
export { BCEWithLogitsLoss, type BCEWithLogitsLossOptions } from './bce-with-logits-loss.js';
export { CrossEntropyLoss, type CrossEntropyLossOptions } from './cross-entropy-loss.js';
export { NLLLoss, type NLLLossOptions } from './nll-loss.js';
export {
  kaimingUniform, kaimingNormal, xavierUniform, xavierNormal, zeros, ones, uniform, normal, constant,
  calculateGain, calculateFanInAndFanOut, type Nonlinearity, type FanMode, type KaimingOptions, type XavierOptions,
} from './init.js';
export {
  Optimizer, type OptimizerOptions, type ParamGroup, type ParamGroupInput, type ParamState, type OptimizerStateDict,
} from './optim/optimizer.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
export { Adam, type AdamOptions } from './optim/adam.js';
export { AdamW, type AdamWOptions } from './optim/adamw.js';
export { RMSprop, type RMSpropOptions } from './optim/rmsprop.js';
export { LRScheduler, type SchedulerStateDict } from './optim/lr-scheduler.js';
export { StepLR } from './optim/step-lr.js';
export { CosineAnnealingLR } from './optim/cosine-annealing-lr.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './optim/reduce-lr-on-plateau.js';
export { clipGradNorm } from './clip-grad-norm.js';
export {
  saveSafetensors, loadSafetensors, encodeSafetensors, decodeSafetensors,
  type SafetensorsRecord, type SafetensorsMetadata,
} from './safetensors.js';
export { saveCheckpoint, loadCheckpoint, type CheckpointContents, type CheckpointInfo, type Stateful } from './checkpoint.js';
export { assertFinite, assertFiniteGrads, NonFiniteError, type FiniteCheckOptions } from './assert-finite.js';
