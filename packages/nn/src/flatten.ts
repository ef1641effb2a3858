import { flatten, type Input, type Variable } from '@tsdl/autograd';
import { Module } from './module.js';

/** Flattens dims startDim..endDim into one, like torch.nn.Flatten (keeps the batch dim by default). */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  forward(x: Input): Variable {
    return flatten(x, this.startDim, this.endDim);
  }
}
