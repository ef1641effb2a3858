// Activation layers: each a parameter-free Module wrapping one autograd op.
import {
  gelu,
  type Input,
  leakyRelu,
  logSoftmax,
  relu,
  sigmoid,
  softmax,
  tanh,
  type Variable,
} from '@tsdl/autograd';
import type { GeluApproximate } from '@tsdl/tensor';
import { Module } from './module.js';

export class ReLU extends Module {
  forward(x: Input): Variable {
    return relu(x);
  }
}

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  forward(x: Input): Variable {
    return leakyRelu(x, this.negativeSlope);
  }
}

export class Sigmoid extends Module {
  forward(x: Input): Variable {
    return sigmoid(x);
  }
}

export class Tanh extends Module {
  forward(x: Input): Variable {
    return tanh(x);
  }
}

/** Softmax over `dim` (PyTorch has no good default; -1, the class axis of [N, C], is ours). */
export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }

  forward(x: Input): Variable {
    return softmax(x, this.dim);
  }
}

export class LogSoftmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }

  forward(x: Input): Variable {
    return logSoftmax(x, this.dim);
  }
}

export interface GELUOptions {
  /** 'none' (default): x·Φ(x) with the exact normal CDF; 'tanh': the tanh approximation. */
  approximate?: GeluApproximate;
}

/** Gaussian error linear unit, like torch.nn.GELU. */
export class GELU extends Module {
  readonly approximate: GeluApproximate;

  constructor(opts: GELUOptions = {}) {
    super();
    const approximate = opts.approximate ?? 'none';
    if (approximate !== 'none' && approximate !== 'tanh')
      throw new Error(`GELU: approximate must be 'none' or 'tanh', received ${JSON.stringify(approximate)}`);
    this.approximate = approximate;
  }

  forward(x: Input): Variable {
    return gelu(x, this.approximate);
  }
}
