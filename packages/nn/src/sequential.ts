import type { Input, Variable } from '@tsdl/autograd';
import { Module } from './module.js';

/** Modules applied in order, like torch.nn.Sequential; registered as '0', '1', … so keys match PyTorch's. */
export class Sequential extends Module {
  private readonly layers: Module[];

  constructor(...modules: Module[]) {
    super();
    this.layers = [];
    for (const m of modules) this.append(m);
  }

  append(m: Module): this {
    if (!(m instanceof Module)) throw new Error(`Sequential: item ${this.layers.length} is not a Module`);
    this.registerModule(String(this.layers.length), m);
    this.layers.push(m);
    return this;
  }

  get length(): number {
    return this.layers.length;
  }

  /** The i-th module (negative counts from the end). */
  at(i: number): Module {
    const m = this.layers.at(i);
    if (!m) throw new Error(`Sequential: index ${i} is out of range for ${this.layers.length} modules`);
    return m;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.layers[Symbol.iterator]();
  }

  forward(x: Input): Variable {
    let out: unknown = x;
    for (const m of this.layers) out = (m.forward as (x: unknown) => unknown)(out);
    return out as Variable;
  }
}
