import { type Generator, type Tensor, rand } from '@tsdl/tensor';

/**
 * Float32 samples from U(-bound, bound): the default init of PyTorch's Conv2d and recurrent layers
 * (internal; the public initialisers live in init.ts).
 */
export function uniformTensor(shape: readonly number[], bound: number, generator?: Generator): Tensor {
  const t = rand(shape, { generator }); // fresh and contiguous, so scaled in place
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = (2 * d[i]! - 1) * bound;
  return t;
}
