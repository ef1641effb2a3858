import { type DType, promoteTypes, type Tensor } from '@tsdl/tensor';
import { currentScope, isGradEnabled, isRecordingAll } from './grad-mode.js';
import type { OnnxEmitter } from './onnx-graph.js';
import { type Input, toVariable, Variable } from './variable.js';

/** What backward receives: the forward inputs and output, the attributes, and which inputs need a grad. */
export interface BackwardContext<A> {
  inputs: Tensor[];
  output: Tensor;
  attrs: A;
  needsGrad: boolean[];
  /**
   * Whether the graph is kept for another backward (`backward({ retainGraph: true })`). When false this
   * is the last backward through the node: state the op kept for it may be reused after.
   */
  retainGraph: boolean;
}

/**
 * One differentiable op: forward kernel, backward written with tensor ops, ONNX emitter.
 * `onnx` is either an emitter or `{ unsupported: 'why' }`.
 */
export interface OpSpec<A = undefined> {
  name: string;
  forward: (inputs: Tensor[], attrs: A) => Tensor;
  backward: (ctx: BackwardContext<A>, dy: Tensor) => (Tensor | null | undefined)[];
  onnx?: OnnxEmitter<A> | { unsupported: string };
  /**
   * Declares that backward returns gradients in storage of their own, newly allocated and shared
   * with nothing but each other: a leaf then keeps such a gradient as its .grad instead of a copy
   * (PyTorch's AccumulateGrad steals a gradient nothing else holds the same way). Unset, every
   * gradient the op returns is treated as shared.
   */
  freshGrads?: boolean;
}

/** A registered op: call it with its inputs, or `.run(inputs, attrs)` when it takes attributes. */
export interface Op<A> {
  (...inputs: Input[]): Variable;
  run(inputs: readonly Input[], attrs: A): Variable;
  readonly spec: OpSpec<A>;
}

// Op files call defineOp while they load, and variable.ts (imported by define-op.ts) imports the op
// files for its methods: in that import cycle this module's `const`s are not initialised yet. A hoisted
// function declaration is, so the registry lives behind one and import order never matters.
function ops(): Map<string, OpSpec<never>> {
  const holder = ops as { map?: Map<string, OpSpec<never>> };
  holder.map ??= new Map();
  return holder.map;
}

/** Names of every op declared with defineOp (read by the gradcheck meta-test and the exporter). */
export function registeredOps(): Map<string, OpSpec<never>> {
  return ops();
}

function inputDType(inputs: readonly Input[]): DType {
  let d: DType | undefined;
  for (const x of inputs) {
    if (typeof x === 'number') continue;
    const t = x instanceof Variable ? x.data : x;
    d = d === undefined ? t.dtype : promoteTypes(d, t.dtype);
  }
  return d ?? 'float32';
}

export function defineOp<A = undefined>(spec: OpSpec<A>): Op<A> {
  const registry = ops();
  if (registry.has(spec.name)) throw new Error(`defineOp: an op named '${spec.name}' is already registered`);
  registry.set(spec.name, spec as OpSpec<never>);
  const run = (inputs: readonly Input[], attrs: A): Variable => {
    const dtype = inputDType(inputs);
    const vars = inputs.map((x) => toVariable(x, dtype));
    const tensors = vars.map((v) => v.data);
    const output = spec.forward(tensors, attrs);
    const needs = isGradEnabled() && vars.some((v) => v.requiresGrad);
    const out = new Variable(output, needs);
    if (needs || isRecordingAll()) {
      out.node = { spec: spec as OpSpec<unknown>, inputs: vars, attrs, saved: { inputs: tensors, output } };
      if (isRecordingAll()) out.node.scope = currentScope();
    }
    return out;
  };
  const op = ((...inputs: Input[]) => run(inputs, undefined as A)) as Op<A>;
  op.run = run;
  Object.defineProperty(op, 'spec', { value: spec });
  return op;
}
