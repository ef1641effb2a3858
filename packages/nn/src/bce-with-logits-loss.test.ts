import { Variable } from '@tsdl/autograd';
import { tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { BCEWithLogitsLoss } from './bce-with-logits-loss.js';
import { expectClose } from './test-utils/close.js';

/** Reference in float64: −[pw·t·log σ(x) + (1−t)·log(1−σ(x))] with a stable log σ. */
function ref(x: number, t: number, pw = 1): number {
  const logSig = -(Math.log1p(Math.exp(-Math.abs(x))) + Math.max(-x, 0));
  const logOneMinusSig = logSig - x;
  return -(pw * t * logSig + (1 - t) * logOneMinusSig);
}

describe('BCEWithLogitsLoss', () => {
  const x = [2, -1, 0, 50, -50, 120];
  const t = [1, 0, 0.5, 0, 1, 1];
  it('matches the float64 formula and stays finite for large logits', () => {
    const out = new BCEWithLogitsLoss({ reduction: 'none' }).forward(tensor(x), tensor(t));
    expectClose(
      out,
      x.map((xi, i) => ref(xi, t[i]!)),
      4,
    );
    expect(out.data.toTypedArray()[3]).toBeCloseTo(50, 4);
    expectClose(
      new BCEWithLogitsLoss().forward(tensor(x), tensor(t)),
      x.reduce((a, xi, i) => a + ref(xi, t[i]!), 0) / x.length,
      4,
    );
  });

  it('weights positives by posWeight per class (broadcast over the last dim)', () => {
    const xs = tensor([
      [1, -2],
      [0.5, 3],
    ]);
    const ts = tensor([
      [1, 0],
      [0, 1],
    ]);
    const out = new BCEWithLogitsLoss({ posWeight: tensor([3, 0.5]), reduction: 'none' }).forward(xs, ts);
    expectClose(out, [ref(1, 1, 3), ref(-2, 0, 0.5), ref(0.5, 0, 3), ref(3, 1, 0.5)]);
  });

  it('has gradient (σ(x) − t)/n', () => {
    const v = new Variable(tensor([2, -1]), true);
    new BCEWithLogitsLoss().forward(v, tensor([1, 0])).backward();
    const s = (z: number) => 1 / (1 + Math.exp(-z));
    expectClose(v.grad!, [(s(2) - 1) / 2, s(-1) / 2]);
  });
});
