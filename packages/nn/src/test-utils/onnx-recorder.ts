// Shared by the recurrent layers' toOnnx tests (not exported): an OnnxGraphBuilder that records the
// nodes and constants it is given instead of building a graph.
import type { OnnxAttr, OnnxGraphBuilder } from '@tsdl/autograd';
import type { Tensor } from '@tsdl/tensor';

export interface RecordedNode {
  op: string;
  inputs: readonly string[];
  attrs: Record<string, OnnxAttr>;
}

/** Node outputs are named `${op}${index}:${output}`, int64 constants `i64[v,...]`. */
export function recordingBuilder(): {
  g: OnnxGraphBuilder;
  nodes: RecordedNode[];
  consts: Map<string, Tensor>;
} {
  const nodes: RecordedNode[] = [];
  const consts = new Map<string, Tensor>();
  const g: OnnxGraphBuilder = {
    opset: 17,
    node: (op, inputs, attrs = {}, outputs = 1) => {
      nodes.push({ op, inputs, attrs });
      return Array.from({ length: outputs }, (_, i) => `${op}${nodes.length}:${i}`);
    },
    constant: (t, name = 'c') => {
      consts.set(name, t);
      return name;
    },
    int64: (v) => `i64[${v.join(',')}]`,
  };
  return { g, nodes, consts };
}
