import { gruCell, gruSequence, type Input, type OnnxGraphBuilder, type Variable } from '@tsdl/autograd';
import type { Tensor } from '@tsdl/tensor';
import { RNNBase, type RNNBaseOptions } from './rnn-base.js';

export type GRUOptions = RNNBaseOptions;

/**
 * Gated recurrent unit, like torch.nn.GRU. Parameters weight_ih_l{k} [3H, I] (layers k > 0 read D·H
 * features), weight_hh_l{k} [3H, H], bias_ih_l{k}, bias_hh_l{k} [3H], gates in PyTorch's order r, z, n:
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz),
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),  h' = (1 − z) ⊙ n + z ⊙ h;
 * with `bidirectional` (D = 2) the same again as `*_l{k}_reverse`, run from the last step to the first.
 * `forward(x, h0?)` returns `[output, hN]`: output [T, N, D·H] (forward then reverse features), hN
 * [numLayers·D, N, H] ordered l0, l0 reverse, l1, ….
 */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: GRUOptions = {}) {
    super('GRU', 3, inputSize, hiddenSize, opts);
  }

  /** The whole pass of cell k as one gruSequence op (bit-identical forward, far less per-step work). */
  protected override sequence(
    k: number,
    x: () => Variable,
    [h]: Variable[],
    reverse: boolean,
  ): { outputs: Variable; finals: Variable[] } {
    const y = gruSequence(x(), h!, ...this.weights(k), { reverse });
    return { outputs: y, finals: [this.step(y, reverse ? 0 : y.shape[0]! - 1)] };
  }

  protected cell(k: number, xProj: Variable, [h]: Variable[]): Variable[] {
    return [gruCell(xProj, this.hiddenProj(k, h!), h!)]; // the r, z, n equations above, as one op
  }

  forward(x: Input, h0?: Input): [Variable, Variable] {
    const { output, finals } = this.run(x, h0 === undefined ? undefined : [h0], 1);
    return [output, finals[0]!];
  }

  /** Exported as ONNX GRU nodes: gates reordered to ONNX's z, r, h; linear_before_reset=1 is PyTorch's n. */
  toOnnx(g: OnnxGraphBuilder, inputs: readonly string[], ctx: { inputs: readonly Tensor[] }): string[] {
    return this.emitOnnx(
      g,
      'GRU',
      [1, 0, 2],
      { linear_before_reset: { i: 1 } },
      inputs,
      ctx.inputs[0]!.shape,
      1,
    );
  }
}
