// The elementwise part of one float32 LSTM step as one kernel call, for the fused lstmCell op
// (`@tsdl/autograd`): the WebAssembly kernel when installed, the reference otherwise; either gives
// the composed float32 ops' bits. Its backward likewise (float32 or float64 arrays).
import { checkCellDims, checkFloat32Arrays, checkFloatArrays, fail } from './errors.js';
import { kernels } from './kernels.js';

/**
 * From gate pre-activations xp, hp [n, 4h] (blocks i | f | g | o) and the cell state c [n, h]: writes
 * the activated gates [n, 4h], tanh(c') [n, h] and out [n, 2h] = h' | c', where c' = σ(f)·c + σ(i)·tanh(g)
 * and h' = σ(o)·tanh(c'), rounded as the composed float32 ops round. With hpBias ([4h]), hp's rows
 * are hp + hpBias first, rounded as adding the bias as an op would (hp stays unchanged).
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
  hpBias?: Float32Array,
): void {
  checkCellDims('lstmCellStep', n, h);
  checkFloat32Arrays(
    'lstmCellStep',
    [
      ['xp', xp, 4 * n * h],
      ['hp', hp, 4 * n * h],
      ['c', c, n * h],
      ['gates', gates, 4 * n * h],
      ['tanhC', tanhC, n * h],
      ['out', out, 2 * n * h],
      ...(hpBias === undefined ? [] : [['hpBias', hpBias, 4 * h] as [string, unknown, number]]),
    ],
    `n=${n}, h=${h}`,
  );
  kernels.lstmCell(xp, hp, c, n, h, gates, tanhC, out, hpBias);
}

/**
 * The step's backward, in double with each result rounded once: from the activated gates [n, 4h] and
 * tanhC [n, h] the step wrote, its input cell state c [n, h] and the gradients of h' and c' (rows `ld`
 * apart, starting at dhOff in dH and dcOff in dC: both may be one [n, 2h] array), writes the gradient
 * of the gate pre-activations into dz [n, 4h] and of c into dc [n, h]. All arrays Float32Array, or all
 * Float64Array.
 */
export function lstmCellStepGrad(
  gates: Float32Array | Float64Array,
  tanhC: Float32Array | Float64Array,
  c: Float32Array | Float64Array,
  dH: Float32Array | Float64Array,
  dhOff: number,
  dC: Float32Array | Float64Array,
  dcOff: number,
  ld: number,
  n: number,
  h: number,
  dz: Float32Array | Float64Array,
  dc: Float32Array | Float64Array,
): void {
  const op = 'lstmCellStepGrad';
  checkCellDims(op, n, h);
  if (!Number.isInteger(ld) || ld < h) fail(op, `ld must be an integer ≥ h=${h}, received ${ld}`);
  for (const [name, v] of [
    ['dhOff', dhOff],
    ['dcOff', dcOff],
  ] as const)
    if (!Number.isInteger(v) || v < 0) fail(op, `${name} must be an integer ≥ 0, received ${v}`);
  const rows = n === 0 ? 0 : (n - 1) * ld + h;
  checkFloatArrays(
    op,
    [
      ['gates', gates, 4 * n * h],
      ['tanhC', tanhC, n * h],
      ['c', c, n * h],
      ['dH', dH, dhOff + rows],
      ['dC', dC, dcOff + rows],
      ['dz', dz, 4 * n * h],
      ['dc', dc, n * h],
    ],
    `n=${n}, h=${h}, ld=${ld}`,
  );
  kernels.lstmCellGrad(gates, tanhC, c, dH, dhOff, dC, dcOff, ld, n, h, dz, dc);
}
