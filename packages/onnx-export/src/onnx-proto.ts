// Encoders for the ONNX messages the exporter writes (field numbers from onnx.proto, IR version 8).
import type { OnnxAttr } from '@tsdl/autograd';
import type { Tensor } from '@tsdl/tensor';
import { ProtoWriter } from './protobuf-writer.js';

export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, DOUBLE: 11 } as const;

export function elemTypeOf(t: Tensor): number {
  return t.dtype === 'float32' ? DataType.FLOAT : t.dtype === 'float64' ? DataType.DOUBLE : DataType.INT32;
}

export interface NodeSpec {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name: string;
  attrs: Record<string, OnnxAttr>;
  docString?: string;
}

export interface ValueInfo {
  name: string;
  elemType: number;
  /** Number = fixed size, string = symbolic (dynamic) dim. */
  dims: readonly (number | string)[];
  docString?: string;
}

/** A TensorProto with raw little-endian data; int64 values are given as numbers. */
export function tensorProto(name: string, t: Tensor): ProtoWriter {
  const w = new ProtoWriter();
  w.packedInts(1, t.shape);
  w.int(2, elemTypeOf(t));
  w.string(8, name);
  const data = t.toTypedArray();
  w.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return w;
}

export function int64TensorProto(
  name: string,
  values: readonly number[],
  dims: readonly number[],
): ProtoWriter {
  const w = new ProtoWriter();
  w.packedInts(1, dims);
  w.int(2, DataType.INT64);
  w.string(8, name);
  const raw = new BigInt64Array(values.map((v) => BigInt(v)));
  w.bytes(9, new Uint8Array(raw.buffer));
  return w;
}

function attributeProto(name: string, a: OnnxAttr): ProtoWriter {
  const w = new ProtoWriter();
  w.string(1, name);
  if ('f' in a) w.float(2, a.f).int(20, 1);
  else if ('i' in a) w.int(3, a.i).int(20, 2);
  else if ('s' in a) w.string(4, a.s).int(20, 3);
  else if ('t' in a) w.message(5, tensorProto(name, a.t)).int(20, 4);
  else if ('floats' in a) w.packedFloats(7, a.floats).int(20, 6);
  else if ('ints' in a) w.packedInts(8, a.ints).int(20, 7);
  else if ('strings' in a) {
    for (const v of a.strings) w.string(9, v);
    w.int(20, 8);
  }
  return w;
}

export function nodeProto(n: NodeSpec): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const [k, a] of Object.entries(n.attrs)) w.message(5, attributeProto(k, a));
  if (n.docString) w.string(6, n.docString);
  return w;
}

export function valueInfoProto(v: ValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.dims) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoWriter().int(1, v.elemType).message(2, shape);
  const type = new ProtoWriter().message(1, tensorType);
  const w = new ProtoWriter().string(1, v.name).message(2, type);
  if (v.docString) w.string(3, v.docString);
  return w;
}

export interface ModelSpec {
  graphName: string;
  nodes: NodeSpec[];
  initializers: ProtoWriter[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  opset: number;
  docString: string;
  producerVersion: string;
  metadata: Record<string, string>;
}

export function modelProto(m: ModelSpec): Uint8Array {
  const graph = new ProtoWriter();
  for (const n of m.nodes) graph.message(1, nodeProto(n));
  graph.string(2, m.graphName);
  for (const t of m.initializers) graph.message(5, t);
  graph.string(10, m.docString);
  for (const i of m.inputs) graph.message(11, valueInfoProto(i));
  for (const o of m.outputs) graph.message(12, valueInfoProto(o));
  const model = new ProtoWriter();
  model.int(1, 8); // IR version 8 (ONNX 1.10+), paired with opset 17
  model.string(2, 'tsdl');
  model.string(3, m.producerVersion);
  model.string(6, m.docString);
  model.message(7, graph);
  model.message(8, new ProtoWriter().string(1, '').int(2, m.opset));
  for (const [k, v] of Object.entries(m.metadata))
    model.message(14, new ProtoWriter().string(1, k).string(2, v));
  return model.finish();
}
