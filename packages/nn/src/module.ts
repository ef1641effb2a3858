import type { Tensor } from '@tsdl/tensor';
import type { Parameter } from './parameter.js';

export type StateDict = Record<string, Tensor>;

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
  /** Keys present on both sides whose shapes differ. */
  shapeMismatches: { key: string; expected: readonly number[]; received: readonly number[] }[];
}

/**
 * Base class of layers and models, like torch.nn.Module. Sub-modules, parameters and buffers are
 * registered by name; every tree walk (parameters, state dicts, train/eval) goes through `walk`.
 */
export abstract class Module {
  training = true;
  private readonly _params = new Map<string, Parameter | null>();
  private readonly _buffers = new Map<string, Tensor | null>();
  private readonly _modules = new Map<string, Module | null>();

  abstract forward(...inputs: never[]): unknown;

  registerParameter(name: string, p: Parameter | null): Parameter | null {
    this._params.set(name, p);
    return p;
  }

  /** A non-trainable tensor saved in the state dict (BatchNorm's running statistics). */
  registerBuffer(name: string, t: Tensor | null): Tensor | null {
    this._buffers.set(name, t);
    return t;
  }

  registerModule<M extends Module | null>(name: string, m: M): M {
    this._modules.set(name, m);
    return m;
  }

  getParameter(name: string): Parameter | null | undefined {
    return this._params.get(name);
  }

  getBuffer(name: string): Tensor | null | undefined {
    return this._buffers.get(name);
  }

  setBuffer(name: string, t: Tensor): void {
    if (!this._buffers.has(name)) throw new Error(`setBuffer: '${name}' is not a registered buffer`);
    this._buffers.set(name, t);
  }

  /** Visits this module and all descendants depth-first with PyTorch's dotted prefixes. */
  *walk(prefix = ''): Generator<[string, Module]> {
    yield [prefix, this];
    for (const [name, m] of this._modules) if (m) yield* m.walk(prefix ? `${prefix}.${name}` : name);
  }

  *children(): Generator<[string, Module]> {
    for (const [name, m] of this._modules) if (m) yield [name, m];
  }

  /** Parameters with dotted names (`0.weight`, `encoder.lstm.weight_ih_l0`); shared ones listed once. */
  namedParameters(): [string, Parameter][] {
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    for (const [prefix, m] of this.walk()) {
      for (const [name, p] of m._params) {
        if (p && !seen.has(p)) {
          seen.add(p);
          out.push([prefix ? `${prefix}.${name}` : name, p]);
        }
      }
    }
    return out;
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [prefix, m] of this.walk()) {
      for (const [name, b] of m._buffers) if (b) out.push([prefix ? `${prefix}.${name}` : name, b]);
    }
    return out;
  }

  /** Parameters and buffers by dotted name (tensors shared, not copied; save them to persist). */
  stateDict(): StateDict {
    const sd: StateDict = {};
    for (const [prefix, m] of this.walk()) {
      const key = (n: string) => (prefix ? `${prefix}.${n}` : n);
      for (const [n, p] of m._params) if (p) sd[key(n)] = p.data;
      for (const [n, b] of m._buffers) if (b) sd[key(n)] = b;
    }
    return sd;
  }

  /**
   * Copies tensors into parameters and buffers. With `strict` (default) any missing, unexpected or
   * mis-shaped key throws one error listing all of them, before anything is changed.
   */
  loadStateDict(sd: StateDict, opts: { strict?: boolean } = {}): LoadStateDictResult {
    const strict = opts.strict ?? true;
    const targets = new Map<string, { m: Module; name: string; kind: 'param' | 'buffer'; t: Tensor }>();
    for (const [prefix, m] of this.walk()) {
      const key = (n: string) => (prefix ? `${prefix}.${n}` : n);
      for (const [n, p] of m._params) if (p) targets.set(key(n), { m, name: n, kind: 'param', t: p.data });
      for (const [n, b] of m._buffers) if (b) targets.set(key(n), { m, name: n, kind: 'buffer', t: b });
    }
    const result: LoadStateDictResult = { missingKeys: [], unexpectedKeys: [], shapeMismatches: [] };
    for (const k of targets.keys()) if (!(k in sd)) result.missingKeys.push(k);
    for (const [k, t] of Object.entries(sd)) {
      const target = targets.get(k);
      if (!target) result.unexpectedKeys.push(k);
      else if (!sameShape(target.t.shape, t.shape)) {
        result.shapeMismatches.push({ key: k, expected: target.t.shape, received: t.shape });
      }
    }
    const problems = [
      ...(strict ? result.missingKeys.map((k) => `missing key '${k}'`) : []),
      ...(strict ? result.unexpectedKeys.map((k) => `unexpected key '${k}'`) : []),
      ...result.shapeMismatches.map(
        (s) => `'${s.key}' has shape ${fmtShapeOf(s.received)}, the model expects ${fmtShapeOf(s.expected)}`,
      ),
    ];
    if (problems.length > 0) throw new Error(`loadStateDict: ${problems.join('; ')}`);
    for (const [k, t] of Object.entries(sd)) {
      const target = targets.get(k);
      if (!target) continue;
      const value = t.dtype === target.t.dtype ? t.contiguous().clone() : t.to(target.t.dtype);
      if (target.kind === 'param') target.m._params.get(target.name)!.data = value;
      else target.m._buffers.set(target.name, value);
    }
    return result;
  }

  /** Sets training mode on this module and every descendant (Dropout, BatchNorm read it). */
  train(mode = true): this {
    for (const [, m] of this.walk()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Applies `fn` to every module in the tree (like torch's Module.apply). */
  apply(fn: (m: Module) => void): this {
    for (const [, m] of this.walk()) fn(m);
    return this;
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

const fmtShapeOf = (s: readonly number[]): string => `[${s.join(',')}]`;
