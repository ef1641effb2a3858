import { allocArray, type DType } from './dtype.js';
import { fail } from './errors.js';
import { checkShape, shapeSize } from './shape.js';
import { Tensor } from './tensor.js';

/** The 128-bit state of a Generator; save it in a checkpoint to resume the exact stream. */
export type GeneratorState = [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Seeded random numbers: xoshiro128** on 32-bit integer arithmetic, so the same seed gives
 * the same numbers on every platform and JS engine. (The stream differs from PyTorch's mt19937.)
 */
export class Generator {
  private s = new Uint32Array(4);

  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  manualSeed(seed: number): this {
    if (!Number.isSafeInteger(seed) || seed < 0)
      fail('manualSeed', `seed must be a non-negative safe integer, received ${seed}`);
    const mix = splitmix32((seed % 0x100000000) ^ Math.imul(Math.floor(seed / 0x100000000), 0x27d4eb2d));
    for (let i = 0; i < 4; i++) this.s[i] = mix();
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
    return this;
  }

  getState(): GeneratorState {
    return [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!];
  }

  setState(state: readonly number[]): this {
    if (state.length !== 4)
      fail('Generator.setState', `state must hold 4 integers, received ${state.length}`);
    for (let i = 0; i < 4; i++) this.s[i] = state[i]!;
    return this;
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal sample (Box–Muller; one value per pair of uniforms so no hidden state). */
  normal(): number {
    let u = this.random();
    while (u === 0) u = this.random();
    const v = this.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [low, high). */
  randint(low: number, high: number): number {
    if (!(high > low)) fail('randint', `high (${high}) must be greater than low (${low})`);
    return low + Math.floor(this.random() * (high - low));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The generator used when none is passed. */
export const defaultGenerator = new Generator(0);

/** Seeds the default generator (like torch.manual_seed). */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}

export interface RandomOptions {
  dtype?: DType;
  generator?: Generator;
}

function fill(
  op: string,
  shape: readonly number[],
  opts: RandomOptions,
  draw: (g: Generator) => number,
): Tensor {
  checkShape(op, shape);
  const g = opts.generator ?? defaultGenerator;
  const out = allocArray(opts.dtype ?? 'float32', shapeSize(shape));
  for (let i = 0; i < out.length; i++) out[i] = draw(g);
  return new Tensor(out, shape);
}

/** Uniform [0, 1). */
export function rand(shape: readonly number[], opts: RandomOptions = {}): Tensor {
  return fill('rand', shape, opts, (g) => g.random());
}

/** Standard normal. */
export function randn(shape: readonly number[], opts: RandomOptions = {}): Tensor {
  return fill('randn', shape, opts, (g) => g.normal());
}

/** Uniform integers in [low, high) (int32 by default). */
export function randint(
  low: number,
  high: number,
  shape: readonly number[],
  opts: RandomOptions = {},
): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    fail('randint', `need integers low < high, received low=${low}, high=${high}`);
  }
  return fill('randint', shape, { dtype: 'int32', ...opts }, (g) => g.randint(low, high));
}

/** A random permutation of 0..n-1 (Fisher–Yates), int32. */
export function randperm(n: number, opts: { generator?: Generator } = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) fail('randperm', `n must be a non-negative integer, received ${n}`);
  const g = opts.generator ?? defaultGenerator;
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(g.random() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return new Tensor(p, [n]);
}
