import type { Variable } from '@tsdl/autograd';
import { type Tensor, zerosLike } from '@tsdl/tensor';

/** Hyper-parameters every optimizer has; schedulers change `lr` on each group. */
export interface OptimizerOptions {
  lr: number;
}

/** A set of parameters sharing hyper-parameters (torch's param_groups, without per-group extras). */
export type ParamGroup<O extends OptimizerOptions> = O & {
  params: Variable[];
  /** The lr when the first scheduler was attached (schedulers compute from it). */
  initialLr?: number;
};

export type ParamGroupInput<O extends OptimizerOptions> = Partial<O> & { params: Iterable<Variable> };

/** Per-parameter state: tensors (moments, buffers) and scalars (`step`), under PyTorch's key names. */
export type ParamState = Record<string, Tensor | number>;

/**
 * A snapshot of an optimizer: state by parameter index (counted across groups in order, as PyTorch
 * does) and each group's hyper-parameters with `params` replaced by those indices. Tensors are copies.
 */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

/** Float32 parameters are updated with each op rounded to float32, as PyTorch's kernels do. */
export type Round = (x: number) => number;
const identity: Round = (x) => x;

/**
 * Base class of the optimizers: holds param groups and per-parameter state; subclasses implement
 * `update` for one parameter, which must write `p.data` in place.
 */
export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions> {
  readonly defaults: O;
  readonly paramGroups: ParamGroup<O>[];
  protected readonly state = new Map<Variable, ParamState>();

  constructor(
    readonly name: string,
    params: Iterable<Variable> | ParamGroupInput<O>[],
    defaults: O,
  ) {
    this.defaults = defaults;
    this.validate(defaults);
    const list = [...(params as Iterable<Variable | ParamGroupInput<O>>)];
    const groups: ParamGroupInput<O>[] =
      list.length > 0 && isGroupInput(list[0])
        ? (list as ParamGroupInput<O>[])
        : [{ params: list as Variable[] } as unknown as ParamGroupInput<O>];
    const seen = new Set<Variable>();
    this.paramGroups = groups.map((g, gi) => {
      const ps = [...g.params];
      for (const p of ps) {
        if (seen.has(p)) throw new Error(`${name}: a parameter appears twice (param group ${gi})`);
        seen.add(p);
      }
      const group = { ...defaults, ...g, params: ps } as ParamGroup<O>;
      this.validate(group);
      return group;
    });
    if (seen.size === 0) throw new Error(`${name}: received an empty parameter list`);
  }

  /** Checks hyper-parameters; throws naming the option. */
  protected validate(o: O): void {
    if (!(o.lr >= 0)) throw new Error(`${this.name}: lr must be a non-negative number, received ${o.lr}`);
  }

  /** Applies one update to `p` given its gradient (contiguous, same dtype) and its state. */
  protected abstract update(
    p: Variable,
    grad: Tensor,
    group: ParamGroup<O>,
    state: ParamState,
    round: Round,
  ): void;

  /** One optimisation step over every parameter that has a gradient. */
  step(): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        if (p.data.dtype === 'int32') throw new Error(`${this.name}: cannot update an int32 parameter`);
        if (p.grad.shape.length !== p.shape.length || p.grad.shape.some((d, i) => d !== p.shape[i])) {
          throw new Error(
            `${this.name}: grad shape [${p.grad.shape.join(',')}] differs from parameter shape [${p.shape.join(',')}]`,
          );
        }
        p.data = p.data.contiguous(); // updated in place below, so it must own its exact storage
        const grad = p.grad.dtype === p.data.dtype ? p.grad.contiguous() : p.grad.to(p.data.dtype);
        let state = this.state.get(p);
        if (!state) {
          state = {};
          this.state.set(p, state);
        }
        this.update(p, grad, group, state, p.data.dtype === 'float32' ? Math.fround : identity);
      }
    }
  }

  /** Clears every gradient (to null, like PyTorch's set_to_none). */
  zeroGrad(): void {
    for (const g of this.paramGroups) for (const p of g.params) p.grad = null;
  }

  /** The first group's learning rate. */
  get lr(): number {
    return this.paramGroups[0]!.lr;
  }

  set lr(v: number) {
    for (const g of this.paramGroups) g.lr = v;
  }

  /** A zero tensor like `p`'s data, for state initialisation. */
  protected zerosFor(p: Variable): Tensor {
    return zerosLike(p.data);
  }

  stateDict(): OptimizerStateDict {
    const state: Record<number, ParamState> = {};
    let index = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...hyper } = g;
      const ids = params.map((p) => {
        const s = this.state.get(p);
        if (s) state[index] = copyState(s);
        return index++;
      });
      return { ...structuredClone(hyper), params: ids } as Record<string, unknown> & { params: number[] };
    });
    return { state, paramGroups };
  }

  /** Restores a snapshot taken from an optimizer over parameters of the same shapes, in the same order. */
  loadStateDict(sd: OptimizerStateDict): void {
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new Error(
        `${this.name}.loadStateDict: snapshot has ${sd.paramGroups.length} param groups, optimizer has ${this.paramGroups.length}`,
      );
    }
    const byIndex: Variable[] = [];
    sd.paramGroups.forEach((g, gi) => {
      const mine = this.paramGroups[gi]!;
      if (g.params.length !== mine.params.length) {
        throw new Error(
          `${this.name}.loadStateDict: param group ${gi} has ${g.params.length} parameters in the snapshot, ${mine.params.length} here`,
        );
      }
      for (const [i, id] of g.params.entries()) byIndex[id] = mine.params[i]!;
    });
    const next = new Map<Variable, ParamState>();
    for (const [id, s] of Object.entries(sd.state)) {
      const p = byIndex[Number(id)];
      if (!p) throw new Error(`${this.name}.loadStateDict: state for parameter ${id}, which no group lists`);
      for (const [k, v] of Object.entries(s)) {
        if (
          typeof v !== 'number' &&
          (v.shape.length !== p.shape.length || v.shape.some((d, i) => d !== p.shape[i]))
        ) {
          throw new Error(
            `${this.name}.loadStateDict: state '${k}' of parameter ${id} has shape [${v.shape.join(',')}], the parameter is [${p.shape.join(',')}]`,
          );
        }
      }
      next.set(p, copyState(s, p.data.dtype));
    }
    sd.paramGroups.forEach((g, gi) => {
      const { params: _ids, ...hyper } = g;
      Object.assign(this.paramGroups[gi]!, structuredClone(hyper));
    });
    this.state.clear();
    for (const [p, s] of next) this.state.set(p, s);
  }
}

function isGroupInput(x: unknown): boolean {
  return typeof x === 'object' && x !== null && 'params' in x && !('data' in x);
}

function copyState(s: ParamState, dtype?: Tensor['dtype']): ParamState {
  const out: ParamState = {};
  for (const [k, v] of Object.entries(s)) {
    out[k] = typeof v === 'number' ? v : dtype && v.dtype !== dtype ? v.to(dtype) : v.contiguous().clone();
  }
  return out;
}
