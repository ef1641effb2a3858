// The elementwise part of one float32 LSTM step as one kernel call, for the fused lstmCell op
// (`@tsdl/autograd`): the WebAssembly kernel when installed, the reference otherwise; either gives
// the composed float32 ops' bits.
import { checkFloat32Arrays, fail } from './errors.js';
import { kernels } from './kernels.js';

/**
 * From gate pre-activations xp, hp [n, 4h] (blocks i | f | g | o) and the cell state c [n, h]: writes
 * the activated gates [n, 4h], tanh(c') [n, h] and out [n, 2h] = h' | c', where c' = σ(f)·c + σ(i)·tanh(g)
 * and h' = σ(o)·tanh(c'), rounded as the composed float32 ops round.
 */
export function lstmCellStep(
  xp: Float32Array,
  hp: Float32Array,
  c: Float32Array,
  n: number,
  h: number,
  gates: Float32Array,
  tanhC: Float32Array,
  out: Float32Array,
): void {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(h) || h < 1)
    fail('lstmCellStep', `n and h must be integers (n ≥ 0, h ≥ 1), received n=${n}, h=${h}`);
  checkFloat32Arrays(
    'lstmCellStep',
    [
      ['xp', xp, 4 * n * h],
      ['hp', hp, 4 * n * h],
      ['c', c, n * h],
      ['gates', gates, 4 * n * h],
      ['tanhC', tanhC, n * h],
      ['out', out, 2 * n * h],
    ],
    `n=${n}, h=${h}`,
  );
  kernels.lstmCell(xp, hp, c, n, h, gates, tanhC, out);
}
