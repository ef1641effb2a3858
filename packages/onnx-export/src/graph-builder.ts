import type { OnnxAttr, OnnxGraphBuilder } from '@tsdl/autograd';
import type { Tensor } from '@tsdl/tensor';
import { int64TensorProto, type NodeSpec, tensorProto } from './onnx-proto.js';
import type { ProtoWriter } from './protobuf-writer.js';

/** Collects nodes and initializers with unique names; what op emitters write into. */
export class GraphBuilder implements OnnxGraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: ProtoWriter[] = [];
  private readonly used = new Set<string>();
  private readonly int64Cache = new Map<string, string>();
  /** Module path of the op being emitted (node names and error messages carry it). */
  scope = '';

  constructor(readonly opset: number) {}

  /** Reserves `base` (or base_1, base_2, …) as a value name. */
  unique(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  node(
    opType: string,
    inputs: readonly string[],
    attrs: Record<string, OnnxAttr> = {},
    outputs = 1,
  ): string[] {
    const base = this.scope ? `${this.scope}/${opType}` : opType;
    const name = this.unique(base);
    const outs = Array.from({ length: outputs }, (_, i) => this.unique(`${name}:${i}`));
    this.nodes.push({ opType, inputs, outputs: outs, name, attrs });
    return outs;
  }

  constant(t: Tensor, name = 'const'): string {
    const n = this.unique(name);
    this.initializers.push(tensorProto(n, t));
    return n;
  }

  int64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `${dims.join('x')}:${values.join(',')}`;
    const hit = this.int64Cache.get(key);
    if (hit) return hit;
    const n = this.unique('int64');
    this.initializers.push(int64TensorProto(n, values, dims));
    this.int64Cache.set(key, n);
    return n;
  }
}
