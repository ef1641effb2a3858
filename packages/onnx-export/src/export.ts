import {
  noGrad,
  type OnnxGraphBuilder,
  recordGraph,
  Variable,
  type Variable as VariableT,
  withScope,
} from '@tsdl/autograd';
import type { Module } from '@tsdl/nn';
import type { Tensor } from '@tsdl/tensor';
import { GraphBuilder } from './graph-builder.js';
import { elemTypeOf, modelProto, type ValueInfo } from './onnx-proto.js';

export interface ExportOptions {
  /** ONNX opset (only 17 is tested). */
  opset?: number;
  inputNames?: string[];
  outputNames?: string[];
  /** Make the batch axis of every input and output symbolic ('batch') so any batch size runs. */
  dynamicBatch?: boolean;
  /** Which axis is the batch (default 0; 1 for sequence-first recurrent inputs). */
  batchAxis?: number;
  /** Free text stored as the model's doc string (input/output names and shapes are appended). */
  docString?: string;
  /** Extra key/value metadata (e.g. a serialised scaler). */
  metadata?: Record<string, string>;
}

/**
 * A module that maps to fused ONNX nodes (LSTM, GRU) implements this; the exporter calls it instead of
 * tracing through the module. `inputs` are the ONNX names of the Variables passed to forward; it
 * returns one name per output Variable, in the order forward returns them (nested arrays flattened).
 */
export interface OnnxFusedModule {
  toOnnx(
    g: OnnxGraphBuilder,
    inputs: readonly string[],
    ctx: { inputs: readonly Tensor[]; outputs: readonly Tensor[]; path: string },
  ): string[];
}

function hasToOnnx(m: Module): m is Module & OnnxFusedModule {
  return typeof (m as Partial<OnnxFusedModule>).toOnnx === 'function';
}

function flattenVars(x: unknown, out: Variable[] = []): Variable[] {
  if (x instanceof Variable) out.push(x);
  else if (Array.isArray(x)) for (const y of x) flattenVars(y, out);
  return out;
}

interface FusedCall {
  module: Module & OnnxFusedModule;
  path: string;
  inputs: Variable[];
  outputs: Variable[];
  names?: string[];
}

type Forward = (...args: unknown[]) => unknown;

/**
 * Traces `model.forward(...exampleInputs)` in eval mode and writes an ONNX ModelProto (IR 8).
 * Parameters and buffers become initializers named by their state-dict keys; each op contributes
 * the node(s) of its `onnx` emitter; modules with `toOnnx` become their fused node.
 */
export function exportOnnx(
  model: Module,
  exampleInputs: Tensor | readonly Tensor[],
  opts: ExportOptions = {},
): Uint8Array {
  const opset = opts.opset ?? 17;
  const examples = Array.isArray(exampleInputs)
    ? [...(exampleInputs as Tensor[])]
    : [exampleInputs as Tensor];
  const inputNames =
    opts.inputNames ?? examples.map((_, i) => (examples.length === 1 ? 'input' : `input_${i}`));
  if (inputNames.length !== examples.length) {
    throw new Error(
      `exportOnnx: inputNames has ${inputNames.length} names for ${examples.length} example inputs`,
    );
  }

  // Trace with every module's forward wrapped: the wrapper sets the scope and intercepts fused modules.
  const fused = new Map<Variable, { call: FusedCall; index: number }>();
  const patched: [Module, PropertyDescriptor | undefined][] = [];
  const wasTraining = model.training;
  model.eval();
  const inputs = examples.map((t) => new Variable(t, false));
  let outputs: Variable[];
  try {
    for (const [path, m] of model.walk()) {
      const own = Object.getOwnPropertyDescriptor(m, 'forward');
      const orig = m.forward as unknown as Forward;
      const scope = path || model.constructor.name;
      (m as unknown as { forward: Forward }).forward = (...args: unknown[]) =>
        withScope(scope, () => {
          const out = orig.apply(m, args);
          if (hasToOnnx(m)) {
            const call: FusedCall = {
              module: m,
              path: scope,
              inputs: flattenVars(args),
              outputs: flattenVars(out),
            };
            for (const [index, v] of call.outputs.entries()) fused.set(v, { call, index });
          }
          return out;
        });
      patched.push([m, own]);
    }
    outputs = flattenVars(recordGraph(() => noGrad(() => (model.forward as unknown as Forward)(...inputs))));
  } finally {
    for (const [m, own] of patched) {
      if (own) Object.defineProperty(m, 'forward', own);
      else delete (m as unknown as { forward?: Forward }).forward;
    }
    model.train(wasTraining);
  }
  if (outputs.length === 0) throw new Error('exportOnnx: forward returned no Variable');

  const g = new GraphBuilder(opset);
  const names = new Map<Variable, string>();
  inputs.forEach((v, i) => {
    names.set(v, inputNames[i]!);
    g.unique(inputNames[i]!);
  });
  const paramNames = new Map<VariableT, string>(
    model.namedParameters().map(([k, p]) => [p, k] as [VariableT, string]),
  );
  const bufferNames = new Map<Tensor, string>(
    model.namedBuffers().map(([k, t]) => [t, k] as [Tensor, string]),
  );
  const initialised = new Map<Tensor, string>();

  const initializer = (t: Tensor, key: string): string => {
    const hit = initialised.get(t);
    if (hit) return hit;
    const n = g.constant(t, key);
    initialised.set(t, n);
    return n;
  };

  // Iterative post-order walk (graphs can be deep): emit a Variable once all its inputs have names.
  const nameOf = (root: Variable): string => {
    const stack: Variable[] = [root];
    while (stack.length > 0) {
      const v = stack[stack.length - 1]!;
      if (names.has(v)) {
        stack.pop();
        continue;
      }
      const f = fused.get(v);
      const deps = f ? f.call.inputs : (v.node?.inputs ?? []);
      const pending = deps.filter((d) => !names.has(d));
      if (pending.length > 0) {
        stack.push(...pending);
        continue;
      }
      stack.pop();
      names.set(v, emit(v));
    }
    return names.get(root)!;
  };

  const emit = (v: Variable): string => {
    const f = fused.get(v);
    if (f) {
      const call = f.call;
      if (!call.names) {
        g.scope = call.path;
        call.names = call.module.toOnnx(
          g,
          call.inputs.map((x) => names.get(x)!),
          {
            inputs: call.inputs.map((x) => x.data),
            outputs: call.outputs.map((x) => x.data),
            path: call.path,
          },
        );
      }
      return call.names![f.index]!;
    }
    const p = paramNames.get(v);
    if (p !== undefined) return initializer(v.data, p);
    const node = v.node;
    if (node === null) return initializer(v.data, bufferNames.get(v.data) ?? 'const');
    const emitter = node.spec.onnx;
    const where = node.scope ? ` (in module '${node.scope}')` : '';
    if (emitter === undefined || typeof emitter !== 'function') {
      const why = emitter && 'unsupported' in emitter ? `: ${emitter.unsupported}` : '';
      throw new Error(`exportOnnx: op '${node.spec.name}'${where} has no ONNX form${why}`);
    }
    if (node.saved === null)
      throw new Error(`exportOnnx: the graph of op '${node.spec.name}'${where} was freed`);
    g.scope = node.scope ?? '';
    return emitter(
      g,
      node.inputs.map((x) => names.get(x)!),
      { ...node.saved, attrs: node.attrs },
    );
  };

  const outputNames =
    opts.outputNames ?? outputs.map((_, i) => (outputs.length === 1 ? 'output' : `output_${i}`));
  if (outputNames.length !== outputs.length) {
    throw new Error(
      `exportOnnx: outputNames has ${outputNames.length} names, forward returned ${outputs.length} outputs`,
    );
  }
  const internal = outputs.map((o) => nameOf(o));
  g.scope = '';
  outputs.forEach((_, i) => {
    g.nodes.push({
      opType: 'Identity',
      inputs: [internal[i]!],
      outputs: [outputNames[i]!],
      name: `output/${outputNames[i]}`,
      attrs: {},
    });
  });

  const dyn = opts.dynamicBatch ?? true;
  const axis = opts.batchAxis ?? 0;
  const info = (name: string, t: Tensor): ValueInfo => ({
    name,
    elemType: elemTypeOf(t),
    dims: t.shape.map((d, i) => (dyn && i === axis ? 'batch' : d)),
  });
  const inInfo = examples.map((t, i) => info(inputNames[i]!, t));
  const outInfo = outputs.map((o, i) => info(outputNames[i]!, o.data));
  const fmt = (v: ValueInfo) => `${v.name}: ${elemName(v.elemType)}[${v.dims.join(', ')}]`;
  const doc = [
    opts.docString ?? `${model.constructor.name} exported by tsdl`,
    `inputs: ${inInfo.map(fmt).join('; ')}`,
    `outputs: ${outInfo.map(fmt).join('; ')}`,
  ].join('\n');
  return modelProto({
    graphName: model.constructor.name,
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: inInfo,
    outputs: outInfo,
    opset,
    docString: doc,
    producerVersion: '0.1.0',
    metadata: opts.metadata ?? {},
  });
}

function elemName(t: number): string {
  return t === 1 ? 'float32' : t === 11 ? 'float64' : t === 6 ? 'int32' : `type${t}`;
}
