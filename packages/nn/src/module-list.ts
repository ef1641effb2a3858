import { Module } from './module.js';

/**
 * Holds sub-modules in a list (torch.nn.ModuleList): registered as '0', '1', … so their parameters are
 * named `layers.0.weight` as in PyTorch, and reached by `parameters()`, `train()`/`eval()` and state
 * dicts. Has no forward of its own; a parent module iterates over it.
 */
export class ModuleList<M extends Module = Module> extends Module {
  private readonly items: M[] = [];

  // NoInfer: a list built from Linears still accepts a ReLU later unless M is given explicitly.
  constructor(modules: Iterable<NoInfer<M>> = []) {
    super();
    this.extend(modules);
  }

  /** Adds `m` at the end, registered under the next index. */
  append(m: M): this {
    if (!(m instanceof Module)) {
      throw new Error(
        `ModuleList.append: item ${this.items.length} must be a Module, received ${describe(m)}`,
      );
    }
    this.registerModule(String(this.items.length), m);
    this.items.push(m);
    return this;
  }

  /** Appends every module of `modules` in order. */
  extend(modules: Iterable<M>): this {
    if (modules === null || typeof (modules as Partial<Iterable<M>>)[Symbol.iterator] !== 'function') {
      throw new Error(
        `ModuleList.extend: modules must be an iterable of Modules, received ${describe(modules)}`,
      );
    }
    for (const m of modules) this.append(m);
    return this;
  }

  get length(): number {
    return this.items.length;
  }

  /** The i-th module (negative counts from the end, like Python). */
  at(i: number): M {
    const m = Number.isInteger(i) ? this.items.at(i) : undefined;
    if (!m) {
      throw new Error(`ModuleList.at: index ${i} is out of range for ${this.items.length} modules`);
    }
    return m;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }

  forward(): never {
    throw new Error('ModuleList has no forward: iterate over it (for (const m of list) x = m.forward(x))');
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
