import { embedding, isGradEnabled, Variable, where } from '@tsdl/autograd';
import * as T from '@tsdl/tensor';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface EmbeddingOptions {
  /** Row whose vector starts at zero and never receives a gradient (negative counts from the end). */
  paddingIdx?: number;
  /** Source of the initial weights (default: the global generator). */
  generator?: T.Generator;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`, like torch.nn.Embedding:
 * integer indices of any shape [...] give [..., embeddingDim]. `weight` starts N(0, 1).
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  readonly weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingOptions = {}) {
    super();
    for (const [name, v] of [
      ['numEmbeddings', numEmbeddings],
      ['embeddingDim', embeddingDim],
    ] as const) {
      if (!Number.isInteger(v) || v <= 0)
        throw new Error(`Embedding: ${name} must be a positive integer, received ${v}`);
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad < -numEmbeddings || pad >= numEmbeddings) {
        throw new Error(
          `Embedding: paddingIdx must be an integer in [-${numEmbeddings}, ${numEmbeddings}), received ${pad}`,
        );
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    const w = T.randn([numEmbeddings, embeddingDim], { generator: opts.generator });
    if (pad !== null) w.data.fill(0, pad * embeddingDim, (pad + 1) * embeddingDim);
    this.weight = new Parameter(w);
    this.registerParameter('weight', this.weight);
  }

  /** `indices` may be a Variable so that an exported graph takes them as an input. */
  forward(indices: T.Tensor | Variable): Variable {
    if (indices.dtype !== 'int32') {
      throw new Error(
        `Embedding: indices must be an int32 tensor, received ${indices.dtype} of shape [${indices.shape.join(',')}]`,
      );
    }
    const out = embedding(this.weight, indices);
    if (this.paddingIdx === null || !isGradEnabled() || !this.weight.requiresGrad) return out;
    // Rows looked up at paddingIdx come from a constant copy, so that row's gradient stays zero
    // while its value is still whatever the table holds (PyTorch's semantics). Only when recording
    // a graph for backward: the values are the same either way.
    const idx = indices instanceof Variable ? indices.data : indices;
    const isPad = T.reshape(T.eq(idx, this.paddingIdx), [...idx.shape, 1]);
    const constRows = T.reshape(T.indexSelect(this.weight.data, 0, T.reshape(idx, [idx.size])), out.shape);
    return where(isPad, constRows, out);
  }
}
