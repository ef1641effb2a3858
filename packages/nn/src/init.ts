// Weight initialisers with torch.nn.init's names, fan computation and gain defaults.
// Each fills its target in place (a Parameter's data or a contiguous Tensor) and returns it.
import { Variable } from '@tsdl/autograd';
import { defaultGenerator, type Generator, type Tensor } from '@tsdl/tensor';

export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'selu';
export type FanMode = 'fan_in' | 'fan_out';
type Target = Variable | Tensor;

function tensorOf(op: string, target: Target): Tensor {
  const t = target instanceof Variable ? target.data : target;
  if (!t.isContiguous())
    throw new Error(
      `${op}: target must be contiguous to fill in place, received strides [${t.strides.join(',')}]`,
    );
  if (t.dtype === 'int32') throw new Error(`${op}: target must be a float tensor, received int32`);
  return t;
}

function fill<T extends Target>(op: string, target: T, draw: () => number): T {
  const t = tensorOf(op, target);
  for (let i = 0; i < t.size; i++) t.data[t.offset + i] = draw();
  return target;
}

/** torch.nn.init._calculate_fan_in_and_fan_out: dim 1 × receptive field, dim 0 × receptive field. */
export function calculateFanInAndFanOut(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) {
    throw new Error(
      `init: fan in and fan out need a tensor with at least 2 dims, received shape [${shape.join(',')}]`,
    );
  }
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i]!;
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

/** torch.nn.init.calculate_gain; `param` is leaky_relu's negative slope (default 0.01). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new Error(`calculateGain: unsupported nonlinearity '${String(nonlinearity)}'`);
  }
}

export interface GeneratorOption {
  generator?: Generator;
}

/** U(a, b) in place. */
export function uniform<T extends Target>(target: T, a = 0, b = 1, opts: GeneratorOption = {}): T {
  const g = opts.generator ?? defaultGenerator;
  return fill('uniform', target, () => a + (b - a) * g.random());
}

/** N(mean, std²) in place. */
export function normal<T extends Target>(target: T, mean = 0, std = 1, opts: GeneratorOption = {}): T {
  const g = opts.generator ?? defaultGenerator;
  return fill('normal', target, () => mean + std * g.normal());
}

export function constant<T extends Target>(target: T, value: number): T {
  return fill('constant', target, () => value);
}

export function zeros<T extends Target>(target: T): T {
  return constant(target, 0);
}

export function ones<T extends Target>(target: T): T {
  return constant(target, 1);
}

export interface KaimingOptions extends GeneratorOption {
  /** Negative slope of the rectifier after this layer (leaky_relu only); default 0. */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, target: Target, opts: KaimingOptions): number {
  const { fanIn, fanOut } = calculateFanInAndFanOut(tensorOf(op, target).shape);
  const fan = (opts.mode ?? 'fan_in') === 'fan_in' ? fanIn : fanOut;
  if (fan === 0) throw new Error(`${op}: cannot initialise a tensor with zero elements along its fan`);
  return calculateGain(opts.nonlinearity ?? 'leaky_relu', opts.a ?? 0) / Math.sqrt(fan);
}

/** He uniform: U(±gain·√(3/fan)); defaults a=0, mode 'fan_in', nonlinearity 'leaky_relu' like PyTorch. */
export function kaimingUniform<T extends Target>(target: T, opts: KaimingOptions = {}): T {
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform', target, opts);
  return uniform(target, -bound, bound, opts);
}

/** He normal: N(0, gain²/fan). */
export function kaimingNormal<T extends Target>(target: T, opts: KaimingOptions = {}): T {
  return normal(target, 0, kaimingStd('kaimingNormal', target, opts), opts);
}

export interface XavierOptions extends GeneratorOption {
  gain?: number;
}

function xavierStd(op: string, target: Target, gain: number): number {
  const { fanIn, fanOut } = calculateFanInAndFanOut(tensorOf(op, target).shape);
  return gain * Math.sqrt(2 / (fanIn + fanOut));
}

/** Glorot uniform: U(±gain·√(6/(fan_in+fan_out))). */
export function xavierUniform<T extends Target>(target: T, opts: XavierOptions = {}): T {
  const bound = Math.sqrt(3) * xavierStd('xavierUniform', target, opts.gain ?? 1);
  return uniform(target, -bound, bound, opts);
}

/** Glorot normal: N(0, gain²·2/(fan_in+fan_out)). */
export function xavierNormal<T extends Target>(target: T, opts: XavierOptions = {}): T {
  return normal(target, 0, xavierStd('xavierNormal', target, opts.gain ?? 1), opts);
}
