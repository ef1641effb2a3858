import {
  type Input,
  lstmCell,
  lstmSequence,
  type OnnxGraphBuilder,
  slice,
  type Variable,
} from '@tsdl/autograd';
import type { Tensor } from '@tsdl/tensor';
import { RNNBase, type RNNBaseOptions } from './rnn-base.js';

export type LSTMOptions = RNNBaseOptions;

/**
 * Long short-term memory, like torch.nn.LSTM (no projection). Parameters are PyTorch's:
 * weight_ih_l{k} [4H, I] (layers k > 0 read D·H features), weight_hh_l{k} [4H, H], bias_ih_l{k} and
 * bias_hh_l{k} [4H], gates stacked in the order i, f, g, o; with `bidirectional` (D = 2) the same again
 * as `*_l{k}_reverse`, a second pass over the sequence from its last step to its first. All initialised
 * U(-1/√H, 1/√H).
 *
 * `forward(x, [h0, c0]?)` returns `[output, [hN, cN]]`: output [T, N, D·H] ([N, T, D·H] with batchFirst;
 * forward then reverse features), hN and cN [numLayers·D, N, H] ordered l0, l0 reverse, l1, …; unbatched
 * [T, I] input gives [T, D·H] and [numLayers·D, H]. Exported to ONNX as the LSTM op (see toOnnx).
 */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: LSTMOptions = {}) {
    super('LSTM', 4, inputSize, hiddenSize, opts);
  }

  protected cell(k: number, xProj: Variable, [h, c]: Variable[]): Variable[] {
    // One fused op per step (i, f, g, o gates; c' = f·c + i·g, h' = o·tanh(c')), returning [h' | c'].
    const hc = lstmCell(xProj, this.hiddenProj(k, h!), c!);
    const H = this.hiddenSize;
    return [slice(hc, 1, 0, H), slice(hc, 1, H, 2 * H)];
  }

  /** The whole pass of cell k as one lstmSequence op (bit-identical forward, far less per-step work). */
  protected override sequence(
    k: number,
    x: () => Variable,
    [h, c]: Variable[],
    reverse: boolean,
  ): { outputs: Variable; finals: Variable[] } {
    const seq = x();
    const steps = seq.shape[0]!;
    const y = lstmSequence(seq, h!, c!, ...this.weights(k), { reverse });
    return {
      outputs: slice(y, 0, 0, steps),
      finals: [this.step(y, reverse ? 0 : steps - 1), this.step(y, steps)],
    };
  }

  forward(x: Input, hx?: readonly [Input, Input]): [Variable, [Variable, Variable]] {
    const { output, finals } = this.run(x, hx ? [hx[0], hx[1]] : undefined, 2);
    return [output, [finals[0]!, finals[1]!]];
  }

  /** Exported as ONNX LSTM nodes (gates reordered to ONNX's i, o, f, c), one per layer (bidirectional or forward). */
  toOnnx(g: OnnxGraphBuilder, inputs: readonly string[], ctx: { inputs: readonly Tensor[] }): string[] {
    return this.emitOnnx(g, 'LSTM', [0, 3, 1, 2], {}, inputs, ctx.inputs[0]!.shape, 2);
  }
}
