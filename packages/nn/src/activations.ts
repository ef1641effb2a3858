// Activation layers: each a parameter-free Module wrapping one autograd op.
import {
  type Input,
  leakyRelu,
  logSoftmax,
  relu,
  sigmoid,
  softmax,
  tanh,
  type Variable,
} from '@tsdl/autograd';
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
