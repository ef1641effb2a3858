import { add, type Input, type OnnxGraphBuilder, relu, tanh, type Variable } from '@tsdl/autograd';
import type { Tensor } from '@tsdl/tensor';
import { RNNBase, type RNNBaseOptions } from './rnn-base.js';

export interface RNNOptions extends RNNBaseOptions {
  /** h' = act(W_ih x + b_ih + W_hh h + b_hh) with act tanh (default) or relu. */
  nonlinearity?: 'tanh' | 'relu';
}

/**
 * Elman recurrent network, like torch.nn.RNN. Parameters weight_ih_l{k} [H, I] (layers k > 0 read D·H
 * features), weight_hh_l{k} [H, H], bias_ih_l{k}, bias_hh_l{k} [H], all U(-1/√H, 1/√H); with
 * `bidirectional` the same again as `*_l{k}_reverse` (D = 2).
 * `forward(x, h0?)` returns `[output, hN]`: output [T, N, D·H] (forward then reverse features), hN
 * [numLayers·D, N, H] ordered l0, l0 reverse, l1, ….
 */
export class RNN extends RNNBase {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) {
    super('RNN', 1, inputSize, hiddenSize, opts);
    const act = opts.nonlinearity ?? 'tanh';
    if (act !== 'tanh' && act !== 'relu') {
      throw new Error(`RNN: nonlinearity must be 'tanh' or 'relu', received '${String(act)}'`);
    }
    this.nonlinearity = act;
  }

  protected cell(k: number, xProj: Variable, [h]: Variable[]): Variable[] {
    const z = add(xProj, this.hiddenProj(k, h!));
    return [this.nonlinearity === 'tanh' ? tanh(z) : relu(z)];
  }

  forward(x: Input, h0?: Input): [Variable, Variable] {
    const { output, finals } = this.run(x, h0 === undefined ? undefined : [h0], 1);
    return [output, finals[0]!];
  }

  /** Exported as ONNX RNN nodes with the matching activation (Tanh or Relu), one per direction. */
  toOnnx(g: OnnxGraphBuilder, inputs: readonly string[], ctx: { inputs: readonly Tensor[] }): string[] {
    const act = this.nonlinearity === 'tanh' ? 'Tanh' : 'Relu';
    const activations = { strings: this.bidirectional ? [act, act] : [act] };
    return this.emitOnnx(g, 'RNN', [0], { activations }, inputs, ctx.inputs[0]!.shape, 1);
  }
}
