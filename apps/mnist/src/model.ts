import { Dropout, Linear, ReLU, Sequential } from '@tsdl/nn';
import { Generator } from '@tsdl/tensor';

export type Recipe = 'reference' | 'default';

export interface RecipeConfig {
  epochs: number;
  batchSize: number;
  lr: number;
  /** Dropout after each hidden ReLU (0 = none). */
  dropout: number;
  /** AdamW decoupled weight decay (0 = plain Adam). */
  weightDecay: number;
  /** Cosine-anneal the learning rate to 0 over the run. */
  cosine: boolean;
  /** Random translation of each training image by up to this many pixels. */
  shift: number;
}

/**
 * `reference` is the PyTorch script users port: MLP 784-512-512-10, Adam 1e-3, batch 100, 10 epochs.
 * `default` keeps the same MLP and adds what 8 000 training digits need: small random shifts,
 * dropout, decoupled weight decay and a cosine schedule.
 */
export const RECIPES: Record<Recipe, RecipeConfig> = {
  reference: { epochs: 10, batchSize: 100, lr: 1e-3, dropout: 0, weightDecay: 0, cosine: false, shift: 0 },
  default: { epochs: 15, batchSize: 100, lr: 1e-3, dropout: 0.2, weightDecay: 1e-4, cosine: true, shift: 2 },
};

/** The MLP 784-512-512-10 with PyTorch's default initialisation, seeded. */
export function createMlp(opts: { dropout?: number; seed?: number } = {}): Sequential {
  const generator = new Generator(opts.seed ?? 0);
  const p = opts.dropout ?? 0;
  const drop = (): Dropout[] => (p > 0 ? [new Dropout(p, { generator })] : []);
  return new Sequential(
    new Linear(784, 512, { generator }),
    new ReLU(),
    ...drop(),
    new Linear(512, 512, { generator }),
    new ReLU(),
    ...drop(),
    new Linear(512, 10, { generator }),
  );
}
