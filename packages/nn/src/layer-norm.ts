import { type Input, layerNorm, type Variable } from '@tsdl/autograd';
import * as T from '@tsdl/tensor';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface LayerNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learn a per-position scale `weight` (ones) and shift `bias` (zeros) of normalizedShape (default true). */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, also learn the shift `bias` (default true; torch ≥ 2.1's option). */
  bias?: boolean;
}

/**
 * Layer normalisation like torch.nn.LayerNorm: each slice over the last normalizedShape.length dims
 * (which must equal normalizedShape) is normalised with its own mean and biased variance, in training
 * and eval alike (no running statistics), then scaled by `weight` and shifted by `bias`.
 */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], opts: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...(normalizedShape ?? [])];
    if (shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new Error(
        `LayerNorm: normalizedShape must be a positive integer or a non-empty list of them, received ${JSON.stringify(normalizedShape)}`,
      );
    }
    const eps = opts.eps ?? 1e-5;
    if (!(eps >= 0)) throw new Error(`LayerNorm: eps must be a non-negative number, received ${eps}`);
    this.normalizedShape = Object.freeze(shape);
    this.eps = eps;
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    this.weight = this.elementwiseAffine ? new Parameter(T.ones(shape)) : null;
    this.bias = this.elementwiseAffine && opts.bias !== false ? new Parameter(T.zeros(shape)) : null;
    this.registerParameter('weight', this.weight);
    this.registerParameter('bias', this.bias);
  }

  forward(x: Input): Variable {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }
}
