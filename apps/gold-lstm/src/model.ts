import {
  add,
  div,
  exp,
  type Input,
  log,
  mul,
  reshape,
  slice,
  sub,
  toVariable,
  type Variable,
} from '@tsdl/autograd';
import { Dropout, GRU, Linear, LSTM, Module } from '@tsdl/nn';
import { Generator } from '@tsdl/tensor';
import { type Affine, stepsOf, type Target } from './windows.js';

export type Cell = 'lstm' | 'gru';

export interface ModelConfig {
  cell: Cell;
  /** Raw prices per input window. */
  window: number;
  hidden: number;
  layers: number;
  /** Dropout between stacked layers and before the head, in training. */
  dropout: number;
  target: Target;
}

/**
 * The network on scaled features: an LSTM (or GRU) over the sequence [N, steps, 1], its last hidden
 * state through dropout and a Linear head to one scaled value [N, 1].
 */
export class Forecaster extends Module {
  readonly rnn: LSTM | GRU;
  readonly drop: Dropout;
  readonly head: Linear;

  constructor(
    readonly config: ModelConfig,
    opts: { seed?: number } = {},
  ) {
    super();
    const generator = new Generator(opts.seed ?? 0);
    const rnnOpts = {
      numLayers: config.layers,
      batchFirst: true,
      dropout: config.layers > 1 ? config.dropout : 0,
      generator,
    };
    this.rnn = this.registerModule(
      'rnn',
      config.cell === 'gru' ? new GRU(1, config.hidden, rnnOpts) : new LSTM(1, config.hidden, rnnOpts),
    );
    this.drop = this.registerModule('drop', new Dropout(config.dropout, { generator }));
    this.head = this.registerModule('head', new Linear(config.hidden, 1, { generator }));
  }

  /** x: scaled features [N, steps, 1] → the scaled next value [N, 1]. */
  forward(x: Input): Variable {
    const [out] = this.rnn.forward(x);
    const steps = out.shape[1]!;
    const last = reshape(slice(out, 1, steps - 1, steps), [out.shape[0]!, this.config.hidden]);
    return this.head.forward(this.drop.forward(last));
  }
}

/**
 * What gets exported: raw prices [N, window] (or [N, window, 1]) in, the raw next price [N, 1] out.
 * The scaler is folded in as constant Sub/Div (and Mul/Add back); for the return target the window's
 * log returns are taken with Div/Log and the predicted return is turned into a price with the last
 * input price (Exp/Mul). No preprocessing is left to the caller of the ONNX file.
 */
export class RawPriceForecaster extends Module {
  constructor(
    readonly core: Forecaster,
    readonly affine: Affine,
  ) {
    super();
    this.registerModule('core', core);
  }

  forward(prices: Input): Variable {
    const { window, target } = this.core.config;
    let x = toVariable(prices);
    if (x.ndim === 3) x = reshape(x, [x.shape[0]!, x.shape[1]!]);
    if (x.ndim !== 2 || x.shape[1] !== window) {
      throw new Error(
        `RawPriceForecaster: expected raw prices [batch, ${window}] or [batch, ${window}, 1], received [${toVariable(prices).shape.join(',')}]`,
      );
    }
    const n = x.shape[0]!;
    const feats = target === 'return' ? log(div(slice(x, 1, 1, window), slice(x, 1, 0, window - 1))) : x;
    const z = div(sub(feats, this.affine.shift), this.affine.scale);
    const yz = this.core.forward(reshape(z, [n, stepsOf(window, target), 1]));
    const y = add(mul(yz, this.affine.scale), this.affine.shift);
    return target === 'return' ? mul(slice(x, 1, window - 1, window), exp(y)) : y;
  }
}
