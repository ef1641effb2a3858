// The elementwise part of one float32 GRU step as one kernel call, for the fused gruCell op
// (`@tsdl/autograd`): the WebAssembly kernel when installed, the reference otherwise; either gives
// the composed float32 ops' bits. Its backward likewise (float32 or float64 arrays).
import { checkCellDims, checkFloat32Arrays, checkFloatArrays } from './errors.js';
import { kernels } from './kernels.js';

/**
 * From gate pre-activations xp, hp [n, 3h] (blocks r | z | n) and the hidden state hd [n, h]: writes
 * the activated gates [n, 3h] and out [n, h] = h', where r, z = σ(xp + hp), n = tanh(xp_n + r·hp_n)
 * and h' = n + z·(hd − n), rounded as the composed float32 ops round.
 */
export function gruCellStep(
  xp: Float32Array,
  hp: Float32Array,
  hd: Float32Array,
  n: number,
  h: number,
  gates: Float32Array,
  out: Float32Array,
): void {
  checkCellDims('gruCellStep', n, h);
  checkFloat32Arrays(
    'gruCellStep',
    [
      ['xp', xp, 3 * n * h],
      ['hp', hp, 3 * n * h],
      ['hd', hd, n * h],
      ['gates', gates, 3 * n * h],
      ['out', out, n * h],
    ],
    `n=${n}, h=${h}`,
  );
  kernels.gruCell(xp, hp, hd, n, h, gates, out);
}

/**
 * The step's backward, in double with each result rounded once: from the gates [n, 3h] the step wrote,
 * its hidden projection hp [n, 3h], its input state hd [n, h] and h''s gradient d [n, h], writes the
 * gradients of xp into dx [n, 3h], of hp into dhp [n, 3h] and the part of hd's that flows through z
 * (d·z) into dh [n, h]. All arrays Float32Array, or all Float64Array.
 */
export function gruCellStepGrad(
  gates: Float32Array | Float64Array,
  hp: Float32Array | Float64Array,
  hd: Float32Array | Float64Array,
  d: Float32Array | Float64Array,
  n: number,
  h: number,
  dx: Float32Array | Float64Array,
  dhp: Float32Array | Float64Array,
  dh: Float32Array | Float64Array,
): void {
  checkCellDims('gruCellStepGrad', n, h);
  checkFloatArrays(
    'gruCellStepGrad',
    [
      ['gates', gates, 3 * n * h],
      ['hp', hp, 3 * n * h],
      ['hd', hd, n * h],
      ['d', d, n * h],
      ['dx', dx, 3 * n * h],
      ['dhp', dhp, 3 * n * h],
      ['dh', dh, n * h],
    ],
    `n=${n}, h=${h}`,
  );
  kernels.gruCellGrad(gates, hp, hd, d, n, h, dx, dhp, dh);
}
