// A fake ONNX graph builder for tests: records nodes (type, inputs, attrs) and checks attribute tags.
import type { Tensor } from '@tsdl/tensor';
import type { OnnxAttr, OnnxGraphBuilder } from '../onnx-graph.js';
import type { Variable } from '../variable.js';

export interface RecordedNode {
  opType: string;
  inputs: readonly string[];
  attrs: Record<string, OnnxAttr>;
  outputs: string[];
}

export class RecordingBuilder implements OnnxGraphBuilder {
  readonly opset = 17;
  readonly nodes: RecordedNode[] = [];
  readonly constants = new Map<string, Tensor>();
  readonly int64s = new Map<string, readonly number[]>();
  private n = 0;

  node(
    opType: string,
    inputs: readonly string[],
    attrs: Record<string, OnnxAttr> = {},
    outputs = 1,
  ): string[] {
    for (const i of inputs)
      if (typeof i !== 'string') throw new Error(`${opType}: input name ${String(i)} is not a string`);
    for (const [k, a] of Object.entries(attrs)) {
      const ok =
        ('i' in a && Number.isInteger(a.i)) ||
        ('f' in a && Number.isFinite(a.f)) ||
        ('s' in a && typeof a.s === 'string') ||
        't' in a ||
        ('ints' in a && a.ints.every(Number.isInteger)) ||
        ('floats' in a && a.floats.every(Number.isFinite));
      if (!ok) throw new Error(`${opType}: attribute ${k} is malformed: ${JSON.stringify(a)}`);
    }
    const outs = Array.from({ length: outputs }, () => `v${this.n++}`);
    this.nodes.push({ opType, inputs, attrs, outputs: outs });
    return outs;
  }

  constant(t: Tensor): string {
    const name = `c${this.n++}`;
    this.constants.set(name, t);
    return name;
  }

  int64(values: readonly number[]): string {
    if (!values.every(Number.isSafeInteger))
      throw new Error(`int64: [${values.join(',')}] are not all integers`);
    const name = `i${this.n++}`;
    this.int64s.set(name, values);
    return name;
  }

  get opTypes(): string[] {
    return this.nodes.map((n) => n.opType);
  }
}

/** Emits the recorded graph behind `out` (leaves become constants) and returns its output name. */
export function emitGraph(g: RecordingBuilder, out: Variable): string {
  const names = new Map<Variable, string>();
  const visit = (v: Variable): string => {
    const hit = names.get(v);
    if (hit !== undefined) return hit;
    const node = v.node;
    let name: string;
    if (node === null) name = g.constant(v.data);
    else {
      const ins = node.inputs.map(visit);
      const emit = node.spec.onnx;
      if (typeof emit !== 'function')
        throw new Error(`${node.spec.name}: ${emit?.unsupported ?? 'no emitter'}`);
      if (node.saved === null) throw new Error(`${node.spec.name}: graph freed`);
      name = emit(g, ins, { ...node.saved, attrs: node.attrs });
    }
    names.set(v, name);
    return name;
  };
  return visit(out);
}
