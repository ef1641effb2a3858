// What RNN, LSTM and GRU share: PyTorch's parameter layout and init, the layer/direction/time loops,
// batchFirst and unbatched input, shape checks and inter-layer dropout. Each subclass supplies one cell step.
import {
  concat,
  dropout,
  type Input,
  linear,
  type OnnxAttr,
  type OnnxGraphBuilder,
  reshape,
  slice,
  squeeze,
  stack,
  toVariable,
  transpose,
  unsqueeze,
  Variable,
} from '@tsdl/autograd';
import * as T from '@tsdl/tensor';
import { uniform } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface RNNBaseOptions {
  /** Stacked layers; layer k > 0 reads layer k-1's output sequence (default 1). */
  numLayers?: number;
  /** Learn bias_ih_l{k} and bias_hh_l{k} (default true). */
  bias?: boolean;
  /** Input and output are [N, T, F] instead of [T, N, F]; hidden states stay [numLayers·D, N, H] (default false). */
  batchFirst?: boolean;
  /** Dropout probability on every layer's output but the last's, in training (default 0). */
  dropout?: number;
  /**
   * Run each layer over the sequence in both directions, like PyTorch (default false): D = 2, extra
   * parameters `*_l{k}_reverse`, output features 2H (forward then reverse), states [numLayers·2, N, H].
   */
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
  readonly bidirectional: boolean;
  protected readonly generator: T.Generator | undefined;
  /** Indexed by layer·D + direction (PyTorch's registration order). */
  protected readonly weightIh: Parameter[] = [];
  protected readonly weightHh: Parameter[] = [];
  protected readonly biasIh: (Parameter | null)[] = [];
  protected readonly biasHh: (Parameter | null)[] = [];

  /** `gates` is how many H-sized blocks the weights stack: 1 (RNN), 4 (LSTM), 3 (GRU). */
  constructor(
    protected readonly layerName: string,
    gates: number,
    inputSize: number,
    hiddenSize: number,
    opts: RNNBaseOptions,
  ) {
    super();
    for (const [name, v] of [
      ['inputSize', inputSize],
      ['hiddenSize', hiddenSize],
      ['numLayers', opts.numLayers ?? 1],
    ] as const) {
      if (!Number.isInteger(v) || v <= 0)
        throw new Error(`${layerName}: ${name} must be a positive integer, received ${v}`);
    }
    const p = opts.dropout ?? 0;
    if (!(p >= 0 && p <= 1))
      throw new Error(`${layerName}: dropout must be a probability in [0, 1], received ${p}`);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = opts.numLayers ?? 1;
    this.bias = opts.bias ?? true;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = p;
    this.bidirectional = opts.bidirectional ?? false;
    this.generator = opts.generator;
    // PyTorch's init: every weight and bias U(-1/√H, 1/√H); registration order is PyTorch's too.
    const k = 1 / Math.sqrt(hiddenSize);
    const param = (name: string, shape: number[]) => {
      const prm = uniform(new Parameter(T.zeros(shape)), -k, k, { generator: opts.generator });
      this.registerParameter(name, prm);
      return prm;
    };
    const G = gates * hiddenSize;
    for (let l = 0; l < this.numLayers; l++) {
      for (let d = 0; d < this.directions; d++) {
        const sfx = `l${l}${d === 1 ? '_reverse' : ''}`;
        this.weightIh.push(
          param(`weight_ih_${sfx}`, [G, l === 0 ? inputSize : this.directions * hiddenSize]),
        );
        this.weightHh.push(param(`weight_hh_${sfx}`, [G, hiddenSize]));
        this.biasIh.push(this.bias ? param(`bias_ih_${sfx}`, [G]) : null);
        this.biasHh.push(this.bias ? param(`bias_hh_${sfx}`, [G]) : null);
      }
    }
  }

  /** D: 2 when bidirectional, else 1. */
  protected get directions(): 1 | 2 {
    return this.bidirectional ? 2 : 1;
  }

  /**
   * One time step of cell `k` (layer·D + direction): `xProj` is W_ih·x + b_ih for this step
   * ([N, gates·H]), `state` the previous state ([h] or [h, c], each [N, H]); returns the new state, h first.
   */
  protected abstract cell(k: number, xProj: Variable, state: Variable[]): Variable[];

  /**
   * The whole pass of cell `k` over the time-major sequence x() [T, N, F] as one op, when the subclass has
   * one (lstmSequence, gruSequence): the outputs [T, N, H] (h_t at position t) and the final states
   * ([N, H] each, h first). Null (the default) runs `cell` step by step.
   */
  protected sequence(
    _k: number,
    _x: () => Variable,
    _state: Variable[],
    _reverse: boolean,
  ): { outputs: Variable; finals: Variable[] } | null {
    return null;
  }

  /** Cell k's weights in the whole-sequence ops' argument order: weightIh, weightHh, biasIh, biasHh. */
  protected weights(k: number): [Variable, Variable, Variable | null, Variable | null] {
    return [this.weightIh[k]!, this.weightHh[k]!, this.biasIh[k] ?? null, this.biasHh[k] ?? null];
  }

  /** Row t of a [T, N, H] sequence as [N, H]. */
  protected step(seq: Variable, t: number): Variable {
    return reshape(slice(seq, 0, t, t + 1), [seq.shape[1]!, seq.shape[2]!]);
  }

  /** `slice` of the gate block `i` (of size H) along the last axis. */
  protected gate(v: Variable, i: number): Variable {
    const H = this.hiddenSize;
    return slice(v, 1, i * H, (i + 1) * H);
  }

  /** W_hh·h + b_hh for cell `k` (layer·D + direction). */
  protected hiddenProj(k: number, h: Variable): Variable {
    return linear(h, this.weightHh[k]!, this.biasHh[k] ?? undefined);
  }

  /**
   * Runs every layer over the sequence. `init` holds the initial states given by the caller
   * (each [numLayers·D, N, H], or [numLayers·D, H] for unbatched input), or undefined for zeros.
   * Returns the output sequence (batchFirst-aware, D·H features) and the final states stacked over
   * layers and directions (l0, l0_reverse, l1, ...).
   */
  protected run(
    input: Input,
    init: Input[] | undefined,
    stateCount: number,
  ): { output: Variable; finals: Variable[] } {
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
    if (steps === 0)
      throw new Error(`${name}: the input sequence is empty (shape [${toVariable(input).shape.join(',')}])`);
    const H = this.hiddenSize;
    const D = this.directions;
    const L = this.numLayers * D; // state rows
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

    // A layer's input is a time-major sequence `seq`, or per-step Variables `stepInputs`, or both. Step
    // by step, layer k+1 reads layer k's step outputs directly, so backward never scatters slices of a
    // whole sequence (only layer 0 slices its input); a whole-sequence op's output feeds the next layer
    // (and the result) without being cut into steps and stacked again.
    let stepInputs: Variable[] | null = null;
    let seq: Variable | null = x;
    const wholeInput = () => (seq ??= stack(stepInputs!, 0));
    const finals: Variable[][] = Array.from({ length: stateCount }, () => []);
    for (let l = 0; l < this.numLayers; l++) {
      const outs: Variable[][] = []; // [direction][t]
      let whole: Variable | null = null;
      for (let d = 0; d < D; d++) {
        const k = l * D + d;
        let state = states0.map((s0) => reshape(slice(s0, 0, k, k + 1), [batch, H]));
        const dirOuts = new Array<Variable>(steps);
        const fused = this.sequence(k, wholeInput, state, d === 1);
        if (fused) {
          state = fused.finals;
          if (D === 1) whole = fused.outputs;
          else for (let t = 0; t < steps; t++) dirOuts[t] = this.step(fused.outputs, t);
        } else {
          // (a layer's per-step inputs are cut from its sequence only when it came as one)
          stepInputs ??= Array.from({ length: steps }, (_, t) => this.step(seq!, t));
          const ins = stepInputs;
          // The reverse direction reads t = T-1 … 0 and writes its output at position t.
          for (let i = 0; i < steps; i++) {
            const t = d === 0 ? i : steps - 1 - i;
            const xProj = linear(ins[t]!, this.weightIh[k]!, this.biasIh[k] ?? undefined);
            state = this.cell(k, xProj, state);
            dirOuts[t] = state[0]!;
          }
        }
        outs.push(dirOuts);
        for (const [i, s] of state.entries()) finals[i]!.push(s);
      }
      const drop = l < this.numLayers - 1 && this.dropout > 0 && this.training;
      if (whole && !drop) {
        seq = whole;
        stepInputs = null;
        continue;
      }
      const layerOut = whole
        ? Array.from({ length: steps }, (_, t) => this.step(whole, t))
        : D === 1
          ? outs[0]!
          : outs[0]!.map((f, t) => concat([f, outs[1]![t]!], 1));
      stepInputs = drop ? layerOut.map((o) => dropout(o, this.dropout, true, this.generator)) : layerOut;
      seq = null;
    }

    let output = seq ?? stack(stepInputs!, 0);
    let finalStates = finals.map((f) => stack(f, 0));
    if (unbatched) {
      output = squeeze(output, 1);
      finalStates = finalStates.map((f) => squeeze(f, 1));
    } else if (this.batchFirst) {
      output = transpose(output, 0, 1);
    }
    return { output, finals: finalStates };
  }

  /**
   * Writes this layer as ONNX recurrent nodes (one per layer, layout 0, direction "bidirectional" when
   * D = 2), for `toOnnx`. `onnxGates` lists PyTorch's gate blocks in ONNX's order; `inputs` are the ONNX
   * names of x and the given initial states. Returns the names of output, then each final state stacked
   * over layers and directions.
   */
  protected emitOnnx(
    g: OnnxGraphBuilder,
    opType: 'RNN' | 'LSTM' | 'GRU',
    onnxGates: readonly number[],
    attrs: Record<string, OnnxAttr>,
    inputs: readonly string[],
    xShape: readonly number[],
    stateCount: number,
  ): string[] {
    if (xShape.length !== 3) {
      throw new Error(
        `${this.layerName}.toOnnx: only batched 3-D input is exported, received shape [${xShape.join(',')}]`,
      );
    }
    const H = this.hiddenSize;
    const reorder = (t: T.Tensor): T.Tensor =>
      T.concat(
        onnxGates.map((k) => T.slice(t, 0, k * H, (k + 1) * H)),
        0,
      );
    const D = this.directions;
    // ONNX stacks the directions on a leading axis, forward first: W [D, G, I], R [D, G, H], B [D, 2G].
    const perDirection = (l: number, f: (k: number) => T.Tensor): T.Tensor =>
      T.stack(
        Array.from({ length: D }, (_, d) => f(l * D + d)),
        0,
      );
    let x = inputs[0]!;
    if (this.batchFirst) x = g.node('Transpose', [x], { perm: { ints: [1, 0, 2] } })[0]!;
    const finals: string[][] = Array.from({ length: stateCount }, () => []);
    for (let l = 0; l < this.numLayers; l++) {
      const W = g.constant(
        perDirection(l, (k) => reorder(this.weightIh[k]!.data)),
        `${this.layerName}.W_l${l}`,
      );
      const R = g.constant(
        perDirection(l, (k) => reorder(this.weightHh[k]!.data)),
        `${this.layerName}.R_l${l}`,
      );
      const B = this.bias
        ? g.constant(
            perDirection(l, (k) =>
              T.concat([reorder(this.biasIh[k]!.data), reorder(this.biasHh[k]!.data)], 0),
            ),
            `${this.layerName}.B_l${l}`,
          )
        : '';
      // Initial states given by the caller: layer l's [D, N, H] rows; omitted ones default to zeros.
      const init = Array.from({ length: stateCount }, (_, s) => {
        const name = inputs[1 + s];
        if (name === undefined) return '';
        return g.node('Slice', [name, g.int64([l * D]), g.int64([(l + 1) * D]), g.int64([0])])[0]!;
      });
      const ins = [x, W, R, B, '', ...init];
      while (ins[ins.length - 1] === '') ins.pop(); // optional trailing inputs are left out
      const dir: Record<string, OnnxAttr> = D === 2 ? { direction: { s: 'bidirectional' } } : {};
      const outs = g.node(opType, ins, { hidden_size: { i: H }, ...dir, ...attrs }, 1 + stateCount);
      if (D === 1) {
        x = g.node('Squeeze', [outs[0]!, g.int64([1])])[0]!; // Y is [T, num_directions=1, N, H]
      } else {
        // Y is [T, 2, N, H]; PyTorch's layout puts each step's forward then reverse features side by side.
        const tn2h = g.node('Transpose', [outs[0]!], { perm: { ints: [0, 2, 1, 3] } })[0]!;
        x = g.node('Reshape', [tn2h, g.int64([0, 0, 2 * H])])[0]!;
      }
      for (let s = 0; s < stateCount; s++) finals[s]!.push(outs[1 + s]!);
    }
    const output = this.batchFirst ? g.node('Transpose', [x], { perm: { ints: [1, 0, 2] } })[0]! : x;
    const states = finals.map((f) => (f.length === 1 ? f[0]! : g.node('Concat', f, { axis: { i: 0 } })[0]!));
    return [output, ...states];
  }
}
