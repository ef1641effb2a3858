import {
  AvgPool2d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  type Module,
  ReLU,
  Sequential,
} from '@tsdl/nn';
import { Generator } from '@tsdl/tensor';

export type ModelName = 'simple' | 'better';
export const MODEL_NAMES: readonly ModelName[] = ['simple', 'better'];

export interface RecipeConfig {
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: 'sgd' | 'sgd-nesterov' | 'adamw';
  momentum: number;
  weightDecay: number;
  /** Cosine-anneal the learning rate to 0 over the run. */
  cosine: boolean;
  /** Random crop with this much zero padding (0 = off) and random horizontal flips. */
  cropPadding: number;
  flip: boolean;
}

/**
 * `simple` is the PyTorch tutorial recipe users port (SGD 0.001, momentum 0.9, batch 100, 12 epochs);
 * `better` trains the small BN network with augmentation, SGD-nesterov and a cosine schedule.
 */
export const RECIPES: Record<ModelName, RecipeConfig> = {
  simple: {
    epochs: 12,
    batchSize: 100,
    lr: 0.001,
    optimizer: 'sgd',
    momentum: 0.9,
    weightDecay: 0,
    cosine: false,
    cropPadding: 0,
    flip: false,
  },
  better: {
    epochs: 8,
    batchSize: 64,
    lr: 0.05,
    optimizer: 'sgd-nesterov',
    momentum: 0.9,
    weightDecay: 5e-4,
    cosine: true,
    cropPadding: 4,
    flip: true,
  },
};

/**
 * The LeNet-style reference network, layer for layer (PyTorch's CIFAR-10 tutorial `Net`):
 * conv 6@5×5 → ReLU → maxpool 2 → conv 16@5×5 → ReLU → maxpool 2 → fc 120 → fc 84 → fc 10.
 */
export function createSimple(seed = 0): Sequential {
  const generator = new Generator(seed);
  return new Sequential(
    new Conv2d(3, 6, 5, { generator }),
    new ReLU(),
    new MaxPool2d(2, { stride: 2 }),
    new Conv2d(6, 16, 5, { generator }),
    new ReLU(),
    new MaxPool2d(2, { stride: 2 }),
    new Flatten(),
    new Linear(16 * 5 * 5, 120, { generator }),
    new ReLU(),
    new Linear(120, 84, { generator }),
    new ReLU(),
    new Linear(84, 10, { generator }),
  );
}

/** conv 3×3 (no bias: BatchNorm has one) → BatchNorm → ReLU. */
function block(cin: number, cout: number, generator: Generator): Module[] {
  return [
    new Conv2d(cin, cout, 3, { padding: 1, bias: false, generator }),
    new BatchNorm2d(cout),
    new ReLU(),
  ];
}

/**
 * A small modern CNN sized for CPU training: conv-BN-ReLU blocks with max-pooling (32→16→8 pixels),
 * then global average pooling, dropout and one linear layer. Averaging (not flattening 128×4×4 maxima)
 * keeps the classifier's input small: with 2 048 flattened ReLU features, SGD at lr 0.01–0.05 overshot
 * the logits by tens on the first steps (measured loss 2.4 → 21).
 */
export function createBetter(seed = 0, widths: [number, number, number] = [32, 64, 128]): Sequential {
  const generator = new Generator(seed);
  const [a, b, c] = widths;
  return new Sequential(
    ...block(3, a, generator),
    ...block(a, a, generator),
    new MaxPool2d(2),
    ...block(a, b, generator),
    ...block(b, b, generator),
    new MaxPool2d(2),
    ...block(b, c, generator),
    new AvgPool2d(8),
    new Flatten(),
    new Dropout(0.3, { generator }),
    new Linear(c, 10, { generator }),
  );
}

export function createModel(name: ModelName, seed = 0): Sequential {
  return name === 'simple' ? createSimple(seed) : createBetter(seed);
}
