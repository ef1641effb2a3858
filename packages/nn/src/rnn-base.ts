// What RNN, LSTM and GRU share: PyTorch's parameter layout and init, the layer/time loops, batchFirst
// and unbatched input, shape checks and inter-layer dropout. Each subclass supplies one cell step.
import {
  type Input,
  Variable,
  dropout,
  linear,
  reshape,
  slice,
  squeeze,
  stack,
  toVariable,
  transpose,
  unsqueeze,
} from '@tsdl/autograd';
import * as T from '@tsdl/tensor';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { uniformTensor } from './uniform-tensor.js';

export interface RNNBaseOptions {
  /** Stacked layers; layer k > 0 reads layer k-1's output sequence (default 1). */
  numLayers?: number;
  /** Learn bias_ih_l{k} and bias_hh_l{k} (default true). */
  bias?: boolean;
  /** Input and output are [N, T, F] instead of [T, N, F]; hidden states stay [numLayers, N, H] (default false). */
  batchFirst?: boolean;
  /** Dropout probability on every layer's output but the last's, in training (default 0). */
  dropout?: number;
  /** Not supported: throws when true. */
  bidirectional?: boolean;
  /** Source of the initial weights and the dropout masks (default: the global generator). */
  generator?: T.Generator;
}

export abstract class RNNBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  protected readonly generator: T.Generator | undefined;
  protected readonly weightIh: Parameter[] = [];
  protected readonly weightHh: Parameter[] = [];
  protected readonly biasIh: (Parameter | null)[] = [];
  protected readonly biasHh: (Parameter | null)[] = [];

  /** `gates` is how many H-sized blocks the weights stack: 1 (RNN), 4 (LSTM), 3 (GRU). */
  constructor(protected readonly layerName: string, gates: number, inputSize: number, hiddenSize: number, opts: RNNBaseOptions) {
    super();
    for (const [name, v] of [['inputSize', inputSize], ['hiddenSize', hiddenSize], ['numLayers', opts.numLayers ?? 1]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new Error(`${layerName}: ${name} must be a positive integer, received ${v}`);
    }
    const p = opts.dropout ?? 0;
    if (!(p >= 0 && p <= 1)) throw new Error(`${layerName}: dropout must be a probability in [0, 1], received ${p}`);
    if (opts.bidirectional) {
      throw new Error(`${layerName}: bidirectional is not supported by tsdl; stack two ${layerName}s over the sequence and its reverse instead`);
    }
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = opts.numLayers ?? 1;
    this.bias = opts.bias ?? true;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = p;
    this.generator = opts.generator;
    // PyTorch's init: every weight and bias U(-1/√H, 1/√H); registration order is PyTorch's too.
    const k = 1 / Math.sqrt(hiddenSize);
    const param = (name: string, shape: number[]) => {
      const prm = new Parameter(uniformTensor(shape, k, opts.generator));
      this.registerParameter(name, prm);
      return prm;
    };
    const G = gates * hiddenSize;
    for (let l = 0; l < this.numLayers; l++) {
      this.weightIh.push(param(`weight_ih_l${l}`, [G, l === 0 ? inputSize : hiddenSize]));
      this.weightHh.push(param(`weight_hh_l${l}`, [G, hiddenSize]));
      this.biasIh.push(this.bias ? param(`bias_ih_l${l}`, [G]) : null);
      this.biasHh.push(this.bias ? param(`bias_hh_l${l}`, [G]) : null);
    }
  }

  /**
   * One time step of layer `layer`: `xProj` is W_ih·x + b_ih for this step ([N, gates·H]), `state` the
   * previous state ([h] or [h, c], each [N, H]); returns the new state, h first.
   */
  protected abstract cell(layer: number, xProj: Variable, state: Variable[]): Variable[];

  /** `slice` of the gate block `i` (of size H) along the last axis. */
  protected gate(v: Variable, i: number): Variable {
    const H = this.hiddenSize;
    return slice(v, 1, i * H, (i + 1) * H);
  }

  /** W_hh·h + b_hh for layer `layer`. */
  protected hiddenProj(layer: number, h: Variable): Variable {
    return linear(h, this.weightHh[layer]!, this.biasHh[layer] ?? undefined);
  }

  /**
   * Runs every layer over the sequence. `init` holds the initial states given by the caller
   * (each [numLayers, N, H], or [numLayers, H] for unbatched input), or undefined for zeros.
   * Returns the output sequence (batchFirst-aware) and the final states stacked over layers.
   */
  protected run(input: Input, init: Input[] | undefined, stateCount: number): { output: Variable; finals: Variable[] } {
    let x = toVariable(input);
    const name = this.layerName;
    if ((x.ndim !== 2 && x.ndim !== 3) || x.shape[x.ndim - 1] !== this.inputSize) {
      const layout = this.batchFirst ? '[N, T, inputSize]' : '[T, N, inputSize]';
      throw new Error(
        `${name}: expected input ${layout} or unbatched [T, inputSize] with inputSize ${this.inputSize}, received shape [${x.shape.join(',')}]`,
      );
    }
    const unbatched = x.ndim === 2;
    if (unbatched) x = unsqueeze(x, 1);
    else if (this.batchFirst) x = transpose(x, 0, 1);
    const [steps, batch] = x.shape as [number, number, number];
    if (steps === 0) throw new Error(`${name}: the input sequence is empty (shape [${toVariable(input).shape.join(',')}])`);
    const H = this.hiddenSize;
    const L = this.numLayers;
    const want = unbatched ? [L, H] : [L, batch, H];
    const states0: Variable[] = [];
    for (let s = 0; s < stateCount; s++) {
      const given = init?.[s];
      if (given === undefined || given === null) {
        states0.push(new Variable(T.zeros([L, batch, H], { dtype: x.dtype })));
        continue;
      }
      let v = toVariable(given);
      if (v.ndim !== want.length || !v.shape.every((d, i) => d === want[i])) {
        throw new Error(
          `${name}: initial state ${s === 0 ? 'h0' : 'c0'} must have shape [${want.join(',')}], received [${v.shape.join(',')}]`,
        );
      }
      if (unbatched) v = unsqueeze(v, 1);
      states0.push(v);
    }

    let seq = x;
    const finals: Variable[][] = Array.from({ length: stateCount }, () => []);
    for (let l = 0; l < L; l++) {
      const inDim = seq.shape[2]!;
      // Input projections of all steps in one product: [T·N, I] → [T, N, gates·H].
      const proj = linear(reshape(seq, [steps * batch, inDim]), this.weightIh[l]!, this.biasIh[l] ?? undefined);
      let state = states0.map((s0) => reshape(slice(s0, 0, l, l + 1), [batch, H]));
      const outs: Variable[] = [];
      for (let t = 0; t < steps; t++) {
        state = this.cell(l, slice(proj, 0, t * batch, (t + 1) * batch), state);
        outs.push(state[0]!);
      }
      state.forEach((s, i) => finals[i]!.push(s));
      seq = stack(outs, 0);
      if (l < L - 1 && this.dropout > 0 && this.training) seq = dropout(seq, this.dropout, true, this.generator);
    }

    let output = seq;
    let finalStates = finals.map((f) => stack(f, 0));
    if (unbatched) {
      output = squeeze(output, 1);
      finalStates = finalStates.map((f) => squeeze(f, 1));
    } else if (this.batchFirst) {
      output = transpose(output, 0, 1);
    }
    return { output, finals: finalStates };
  }
}
