// One GRU time step as a single op (11 elementwise ops and slices when composed). The forward
// rounds like the composed ops, every intermediate to the dtype, so outputs are bit-identical.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { Input, Variable } from '../variable.js';
import { type FloatArray, floatData, sigmoid } from './cell-math.js';

/** Per-output saves for backward: r, z, n [N, 3H] (activated) and W_hn·h + b_hn [N, H]. */
const saved = new WeakMap<T.Tensor, { gates: FloatArray }>();

function check(xProj: T.Tensor, hProj: T.Tensor, h: T.Tensor): { n: number; hs: number } {
  const [n, g3] = xProj.shape as [number, number];
  if (xProj.ndim !== 2 || g3 % 3 !== 0)
    throw new Error(`gruCell: xProj must be [N, 3H], received [${xProj.shape.join(',')}]`);
  const hs = g3 / 3;
  if (hProj.ndim !== 2 || hProj.shape[0] !== n || hProj.shape[1] !== g3)
    throw new Error(`gruCell: hProj must be [${n}, ${g3}] like xProj, received [${hProj.shape.join(',')}]`);
  if (h.ndim !== 2 || h.shape[0] !== n || h.shape[1] !== hs)
    throw new Error(`gruCell: h must be [${n}, ${hs}], received [${h.shape.join(',')}]`);
  return { n, hs };
}

/** The step in float64: every intermediate is already a double, nothing to round. */
export function forwardF64(
  xp: FloatArray,
  hp: FloatArray,
  hd: FloatArray,
  n: number,
  hs: number,
  gates: FloatArray,
  out: FloatArray,
): void {
  for (let row = 0; row < n; row++) {
    const g = row * 3 * hs;
    for (let k = 0; k < hs; k++) {
      const r = sigmoid(xp[g + k]! + hp[g + k]!);
      const z = sigmoid(xp[g + hs + k]! + hp[g + hs + k]!);
      const nn = Math.tanh(xp[g + 2 * hs + k]! + r * hp[g + 2 * hs + k]!);
      gates[g + k] = r;
      gates[g + hs + k] = z;
      gates[g + 2 * hs + k] = nn;
      // (1 − z)·n + z·h written as n + z·(h − n), as the GRU layer composed it.
      out[row * hs + k] = nn + z * (hd[row * hs + k]! - nn);
    }
  }
}

const gruCellOp = defineOp({
  name: 'gruCell',
  forward: ([xProj, hProj, h]) => {
    const { n, hs } = check(xProj!, hProj!, h!);
    const dtype = T.promoteTypes(T.promoteTypes(xProj!.dtype, hProj!.dtype), h!.dtype);
    if (dtype === 'int32') throw new Error('gruCell: expects float32 or float64 inputs, received int32');
    const xp = floatData(xProj!, dtype);
    const hp = floatData(hProj!, dtype);
    const hd = floatData(h!, dtype);
    const Arr = dtype === 'float32' ? Float32Array : Float64Array;
    const gates = new Arr(n * 3 * hs);
    const out = new Arr(n * hs);
    // float32: one kernel (WebAssembly where installed) rounding every intermediate as the composed
    // float32 ops do, its sigmoid/tanh those ops' kernels
    if (dtype === 'float32')
      T.gruCellStep(
        xp as Float32Array,
        hp as Float32Array,
        hd as Float32Array,
        n,
        hs,
        gates as Float32Array,
        out as Float32Array,
      );
    else forwardF64(xp, hp, hd, n, hs, gates, out);
    const y = new T.Tensor(out, [n, hs]);
    saved.set(y, { gates });
    return y;
  },
  backward: ({ inputs: [, hProj, h], output }, dy) => {
    const s = saved.get(output);
    if (!s) throw new Error('gruCell: backward found no saved gates for this output');
    const [n, hs] = output.shape as [number, number];
    const dtype = output.dtype;
    const d = floatData(dy, dtype);
    const hp = floatData(hProj!, dtype);
    const hd = floatData(h!, dtype);
    const Arr = dtype === 'float32' ? Float32Array : Float64Array;
    const dx = new Arr(n * 3 * hs);
    const dhp = new Arr(n * 3 * hs);
    const dh = new Arr(n * hs);
    T.gruCellStepGrad(s.gates, hp, hd, d, n, hs, dx, dhp, dh);
    return [new T.Tensor(dx, [n, 3 * hs]), new T.Tensor(dhp, [n, 3 * hs]), new T.Tensor(dh, [n, hs])];
  },
  // Spelled out in ONNX ops (the GRU layer exports itself as one ONNX GRU node instead).
  onnx: (g, [xProj, hProj, h], { inputs: [xt] }) => {
    const hs = xt!.shape[1]! / 3;
    const part = (v: string, k: number) =>
      g.node('Slice', [v, g.int64([k * hs]), g.int64([(k + 1) * hs]), g.int64([1])])[0]!;
    const r = g.node('Sigmoid', [g.node('Add', [part(xProj!, 0), part(hProj!, 0)])[0]!])[0]!;
    const z = g.node('Sigmoid', [g.node('Add', [part(xProj!, 1), part(hProj!, 1)])[0]!])[0]!;
    const nIn = g.node('Add', [part(xProj!, 2), g.node('Mul', [r, part(hProj!, 2)])[0]!])[0]!;
    const nn = g.node('Tanh', [nIn])[0]!;
    return g.node('Add', [nn, g.node('Mul', [z, g.node('Sub', [h!, nn])[0]!])[0]!])[0]!;
  },
});

/**
 * One GRU step in PyTorch's gate order r, z, n, from xProj = W_ih·x + b_ih and hProj = W_hh·h + b_hh
 * ([N, 3H]): r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r·h_n), h' = (1 − z)·n + z·h.
 */
export function gruCell(xProj: Input, hProj: Input, h: Input): Variable {
  return gruCellOp(xProj, hProj, h);
}
