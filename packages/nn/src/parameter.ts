import { Variable } from '@tsdl/autograd';
import type { Tensor } from '@tsdl/tensor';

/** A Variable that a Module owns and an optimizer updates (requiresGrad by default). */
export class Parameter extends Variable {
  constructor(data: Tensor, requiresGrad = true) {
    super(data, requiresGrad);
  }
}
