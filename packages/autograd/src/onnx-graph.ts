import type { Tensor } from '@tsdl/tensor';

/** An ONNX attribute, tagged with its protobuf field so ints and floats are never confused. */
export type OnnxAttr =
  | { i: number }
  | { f: number }
  | { s: string }
  | { ints: readonly number[] }
  | { floats: readonly number[] }
  | { strings: readonly string[] }
  | { t: Tensor };

/**
 * What an op's ONNX emitter writes into. Implemented by @tsdl/onnx-export; declared here so that
 * ops (which live in this package) can describe their ONNX form without depending on the exporter.
 */
export interface OnnxGraphBuilder {
  readonly opset: number;
  /** Adds a node and returns the names of its outputs (`outputs` of them, default 1). */
  node(
    opType: string,
    inputs: readonly string[],
    attrs?: Record<string, OnnxAttr>,
    outputs?: number,
  ): string[];
  /** Adds an initializer holding `t` (float32/float64/int32 kept) and returns its name. */
  constant(t: Tensor, name?: string): string;
  /** Adds an int64 initializer (shapes, axes, indices) and returns its name. */
  int64(values: readonly number[], dims?: readonly number[]): string;
}

/** What an emitter knows about the traced call: the input and output tensors (for shapes/dtypes). */
export interface OnnxEmitContext<A> {
  inputs: readonly Tensor[];
  output: Tensor;
  attrs: A;
}

export type OnnxEmitter<A> = (
  g: OnnxGraphBuilder,
  inputs: readonly string[],
  ctx: OnnxEmitContext<A>,
) => string;
