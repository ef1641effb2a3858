// Shared by the optimizer tests (not exported): a parameter and the gradient p² − 1 (of sum(p³/3 − p)), computed in float32 as torch would.
import { tensor } from '@tsdl/tensor';
import type { Optimizer } from '../optim/optimizer.js';
import { Parameter } from '../parameter.js';

export const START = [1.5, -2, 3, 0.25];

export function param(values = START): Parameter {
  return new Parameter(tensor(values));
}

/** Sets p.grad = p·p − 1 in float32 and steps, n times. */
export function runSteps(opt: Optimizer, p: Parameter, n: number): number[] {
  for (let s = 0; s < n; s++) {
    opt.zeroGrad();
    p.grad = tensor(Array.from(p.data.toTypedArray(), (v) => Math.fround(Math.fround(v * v) - 1)));
    opt.step();
  }
  return Array.from(p.data.toTypedArray());
}
