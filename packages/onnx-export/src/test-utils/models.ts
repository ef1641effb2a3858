// Small models of every kind the exporter must handle, shared by the export tests and the benchmark.
import { type Input, slice, squeeze, type Variable } from '@tsdl/autograd';
import {
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  GRU,
  Linear,
  LSTM,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
  Softmax,
} from '@tsdl/nn';
import { Generator } from '@tsdl/tensor';

export function mlp(seed = 0): Sequential {
  const generator = new Generator(seed);
  return new Sequential(
    new Linear(20, 32, { generator }),
    new ReLU(),
    new Dropout(0.5),
    new Linear(32, 32, { generator }),
    new ReLU(),
    new Linear(32, 10, { generator }),
    new Softmax(1),
  );
}

/** LeNet-style CNN on 3×32×32 with BatchNorm and Dropout (exported in eval mode). */
export function lenet(seed = 0): Sequential {
  const generator = new Generator(seed);
  return new Sequential(
    new Conv2d(3, 6, 5, { generator }),
    new BatchNorm2d(6),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(6, 16, 5, { generator }),
    new ReLU(),
    new AvgPool2d(2),
    new Flatten(),
    new Linear(400, 120, { generator }),
    new BatchNorm1d(120),
    new ReLU(),
    new Dropout(0.3),
    new Linear(120, 84, { generator }),
    new ReLU(),
    new Linear(84, 10, { generator }),
  );
}

/** A recurrent forecaster: [N, T, 1] → last hidden state → Linear → [N, 1]. */
export class Forecaster extends Module {
  readonly rnn: LSTM | GRU;
  readonly head: Linear;
  constructor(cell: 'lstm' | 'gru', seed = 0) {
    super();
    const generator = new Generator(seed);
    const opts = { batchFirst: true, numLayers: 2, generator };
    this.rnn = this.registerModule('rnn', cell === 'lstm' ? new LSTM(1, 16, opts) : new GRU(1, 16, opts));
    this.head = this.registerModule('head', new Linear(16, 1, { generator }));
  }
  forward(x: Input): Variable {
    const [out] = this.rnn.forward(x) as [Variable, unknown];
    const last = squeeze(slice(out, 1, -1), 1);
    return this.head.forward(last) as Variable;
  }
}
