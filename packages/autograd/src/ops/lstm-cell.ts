// One LSTM time step as a single op. Spelled out with elementwise ops a step is 13 ops (4 slices,
// 3 sigmoids, 2 tanh, 3 muls, 2 adds), each allocating and taping; fused it is one pass forward and
// one backward. The forward rounds exactly like the composed ops (every intermediate to the dtype),
// so outputs are bit-identical to them.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { Input, Variable } from '../variable.js';
import { type FloatArray, floatData, sigmoid } from './cell-math.js';

/** Per-output saves for backward: the four activated gates [N, 4H] and tanh(c') [N, H]. */
const saved = new WeakMap<T.Tensor, { gates: FloatArray; tanhC: FloatArray }>();

function check(xProj: T.Tensor, hProj: T.Tensor, c: T.Tensor): { n: number; h: number } {
  const [n, g4] = xProj.shape as [number, number];
  if (xProj.ndim !== 2 || g4 % 4 !== 0)
    throw new Error(`lstmCell: xProj must be [N, 4H], received [${xProj.shape.join(',')}]`);
  const h = g4 / 4;
  if (hProj.ndim !== 2 || hProj.shape[0] !== n || hProj.shape[1] !== g4)
    throw new Error(`lstmCell: hProj must be [${n}, ${g4}] like xProj, received [${hProj.shape.join(',')}]`);
  if (c.ndim !== 2 || c.shape[0] !== n || c.shape[1] !== h)
    throw new Error(`lstmCell: c must be [${n}, ${h}], received [${c.shape.join(',')}]`);
  return { n, h };
}

/** The step in float64: every intermediate is already a double, nothing to round. */
export function forwardF64(
  xp: FloatArray,
  hp: FloatArray,
  cd: FloatArray,
  n: number,
  h: number,
  gates: FloatArray,
  tanhC: FloatArray,
  out: FloatArray,
): void {
  for (let r = 0; r < n; r++) {
    const z = r * 4 * h;
    for (let k = 0; k < h; k++) {
      const i = sigmoid(xp[z + k]! + hp[z + k]!);
      const fg = sigmoid(xp[z + h + k]! + hp[z + h + k]!);
      const g = Math.tanh(xp[z + 2 * h + k]! + hp[z + 2 * h + k]!);
      const o = sigmoid(xp[z + 3 * h + k]! + hp[z + 3 * h + k]!);
      const c1 = fg * cd[r * h + k]! + i * g;
      const tc = Math.tanh(c1);
      gates[z + k] = i;
      gates[z + h + k] = fg;
      gates[z + 2 * h + k] = g;
      gates[z + 3 * h + k] = o;
      tanhC[r * h + k] = tc;
      out[r * 2 * h + k] = o * tc;
      out[r * 2 * h + h + k] = c1;
    }
  }
}

const lstmCellOp = defineOp({
  name: 'lstmCell',
  forward: ([xProj, hProj, c]) => {
    const { n, h } = check(xProj!, hProj!, c!);
    const dtype = T.promoteTypes(T.promoteTypes(xProj!.dtype, hProj!.dtype), c!.dtype);
    if (dtype === 'int32') throw new Error('lstmCell: expects float32 or float64 inputs, received int32');
    const xp = floatData(xProj!, dtype);
    const hp = floatData(hProj!, dtype);
    const cd = floatData(c!, dtype);
    const Arr = dtype === 'float32' ? Float32Array : Float64Array;
    const gates = new Arr(n * 4 * h);
    const tanhC = new Arr(n * h);
    const out = new Arr(n * 2 * h);
    // float32: one kernel (WebAssembly where installed) rounding every intermediate as the composed
    // float32 ops do, its sigmoid/tanh those ops' kernels
    if (dtype === 'float32')
      T.lstmCellStep(
        xp as Float32Array,
        hp as Float32Array,
        cd as Float32Array,
        n,
        h,
        gates as Float32Array,
        tanhC as Float32Array,
        out as Float32Array,
      );
    else forwardF64(xp, hp, cd, n, h, gates, tanhC, out);
    const y = new T.Tensor(out, [n, 2 * h]);
    saved.set(y, { gates, tanhC });
    return y;
  },
  backward: ({ inputs: [, , c], output }, dy) => {
    const s = saved.get(output);
    if (!s) throw new Error('lstmCell: backward found no saved gates for this output');
    const [n, h2] = output.shape as [number, number];
    const h = h2 / 2;
    const dtype = output.dtype;
    const d = floatData(dy, dtype);
    const cd = floatData(c!, dtype);
    const Arr = dtype === 'float32' ? Float32Array : Float64Array;
    const dz = new Arr(n * 4 * h);
    const dc = new Arr(n * h);
    T.lstmCellStepGrad(s.gates, s.tanhC, cd, d, 0, d, h, 2 * h, n, h, dz, dc);
    const gz = new T.Tensor(dz, [n, 4 * h]);
    return [gz, gz, new T.Tensor(dc, [n, h])];
  },
  // Spelled out in ONNX ops (the LSTM layer exports itself as one ONNX LSTM node instead).
  onnx: (g, [xProj, hProj, c], { inputs: [xt] }) => {
    const h = xt!.shape[1]! / 4;
    const z = g.node('Add', [xProj!, hProj!])[0]!;
    const gate = (k: number) =>
      g.node('Slice', [z, g.int64([k * h]), g.int64([(k + 1) * h]), g.int64([1])])[0]!;
    const i = g.node('Sigmoid', [gate(0)])[0]!;
    const f = g.node('Sigmoid', [gate(1)])[0]!;
    const gg = g.node('Tanh', [gate(2)])[0]!;
    const o = g.node('Sigmoid', [gate(3)])[0]!;
    const c1 = g.node('Add', [g.node('Mul', [f, c!])[0]!, g.node('Mul', [i, gg])[0]!])[0]!;
    const h1 = g.node('Mul', [o, g.node('Tanh', [c1])[0]!])[0]!;
    return g.node('Concat', [h1, c1], { axis: { i: 1 } })[0]!;
  },
});

/**
 * One LSTM step in PyTorch's gate order i, f, g, o: with z = xProj + hProj ([N, 4H]),
 * c' = σ(z_f)·c + σ(z_i)·tanh(z_g) and h' = σ(z_o)·tanh(c'). Returns [N, 2H] = [h' | c'].
 */
export function lstmCell(xProj: Input, hProj: Input, c: Input): Variable {
  return lstmCellOp(xProj, hProj, c);
}
