import { Variable } from '@tsdl/autograd';
import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { CrossEntropyLoss } from './cross-entropy-loss.js';
import { expectClose } from './test-utils/close.js';

const logits = [
  [1, 2, 3],
  [1, 1, 1],
  [0.5, -1, 2],
];
const logSoftmax = (row: number[]) => {
  const z = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
  return row.map((v) => v - z);
};
const lp = logits.map(logSoftmax);

describe('CrossEntropyLoss', () => {
  const target = tensor([2, 0, 1], { dtype: 'int32' });
  it('is the mean of −log softmax(x)[target]', () => {
    const each = [-lp[0]![2]!, -lp[1]![0]!, -lp[2]![1]!];
    expectClose(new CrossEntropyLoss().forward(tensor(logits), target), (each[0]! + each[1]! + each[2]!) / 3);
    expectClose(new CrossEntropyLoss({ reduction: 'none' }).forward(tensor(logits), target), each);
  });

  it('honours class weights, ignoreIndex and labelSmoothing like PyTorch', () => {
    const w = [1, 2, 0.5];
    // Weighted mean divides by the summed weights of the targets.
    const weighted = (0.5 * -lp[0]![2]! + 1 * -lp[1]![0]! + 2 * -lp[2]![1]!) / (0.5 + 1 + 2);
    expectClose(new CrossEntropyLoss({ weight: tensor(w) }).forward(tensor(logits), target), weighted);
    const ignored = tensor([2, -100, 1], { dtype: 'int32' });
    expectClose(new CrossEntropyLoss().forward(tensor(logits), ignored), (-lp[0]![2]! - lp[2]![1]!) / 2);
    // (1 − ε)·nll + ε·mean over classes of −log p.
    const eps = 0.1;
    const smooth = [0, 1, 2].map((i) => {
      const t = [2, 0, 1][i]!;
      return (1 - eps) * -lp[i]![t]! + (eps * -lp[i]!.reduce((a, v) => a + v, 0)) / 3;
    });
    expectClose(
      new CrossEntropyLoss({ labelSmoothing: eps }).forward(tensor(logits), target),
      smooth.reduce((a, b) => a + b) / 3,
    );
    expect(() => new CrossEntropyLoss({ labelSmoothing: 2 })).toThrow(
      /labelSmoothing must be in \[0, 1\], received 2/,
    );
  });

  it('has gradient (softmax − onehot)/n', () => {
    const x = new Variable(tensor(logits), true);
    new CrossEntropyLoss().forward(x, target).backward();
    const g = lp.flatMap((row, i) => row.map((v, c) => (Math.exp(v) - (c === [2, 0, 1][i] ? 1 : 0)) / 3));
    expectClose(x.grad!, g);
  });
});
