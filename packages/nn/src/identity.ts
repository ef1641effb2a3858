import { Module } from './module.js';

/**
 * Returns its input unchanged (torch.nn.Identity): a placeholder that keeps a model's structure, and so
 * its state-dict keys, when a layer is switched off. Has no parameters; extra arguments are ignored.
 */
export class Identity extends Module {
  forward<T>(x: T, ..._ignored: unknown[]): T {
    return x;
  }
}
