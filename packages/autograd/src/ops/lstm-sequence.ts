// A whole LSTM pass (one layer, one direction) over a sequence as a single op. Step by step the
// layer is a linear, an lstmCell, two slices and the bookkeeping of each, taped and freed one by one;
// here the steps run inside one forward and one backward. Forward computes what those ops compute,
// bit for bit (the input projection of all steps is one product: its rows are the per-step products'
// rows). Backward sums the weight gradients over all steps in one product each, so their last bits
// differ from adding per-step products.
import * as T from '@tsdl/tensor';
import { defineOp } from '../define-op.js';
import type { Input, Variable } from '../variable.js';
import {
  checkSequence,
  type FloatArray,
  floatData,
  projection,
  projectionGrads,
  promoted,
  recycle,
  type SequenceAttrs,
  scratchArray,
  withBiases,
} from './cell-math.js';
import { forwardF64 } from './lstm-cell.js';

/** What backward needs, per output: every step's gates, tanh(c'), and the h and c it started from. */
interface Saved {
  gates: FloatArray[];
  tanhC: FloatArray[];
  hPrev: FloatArray; // [T·N, H] in position order: row block t holds the h step t read
  cPrev: FloatArray[];
  /** The scratch arrays the views above are cut from, recycled after the last backward. */
  buffers: FloatArray[];
}
const saved = new WeakMap<T.Tensor, Saved>();

/** hc rows [h | c] ([N, 2H]) → h, c ([N, H] each), a block copy per row (an element loop on float32 arrays runs ~3 ns per element in V8). */
function split(hc: FloatArray, n: number, h: number, hOut: FloatArray, cOut: FloatArray): void {
  for (let r = 0, i = 0; r < n; r++, i += 2 * h) {
    hOut.set(hc.subarray(i, i + h), r * h);
    cOut.set(hc.subarray(i + h, i + 2 * h), r * h);
  }
}

const lstmSequenceOp = defineOp<SequenceAttrs>({
  name: 'lstmSequence',
  forward: (inputs, { reverse }) => {
    const { dtype, ts } = promoted('lstmSequence', inputs);
    const [x, h0, c0, wIh, wHh, bIh, bHh] = ts;
    checkSequence('lstmSequence', 4, x!, wIh!, wHh!, [
      ['h0', h0!],
      ['c0', c0!],
    ]);
    const [steps, n, inF] = x!.shape as [number, number, number];
    const h = wHh!.shape[1]!;
    const Arr = dtype === 'float32' ? Float32Array : Float64Array;
    // Every step's input projection at once, [T·N, 4H].
    const xProj = projection(T.reshape(x!, [steps * n, inF]), wIh!, bIh);
    const out = new Arr((steps + 1) * n * h); // h_t at position t, then the last c
    // One buffer each for all steps (views per step), recycled arrays whose every element is
    // written below: a few allocations at most instead of five per step.
    const gatesAll = scratchArray(dtype, steps * n * 4 * h);
    const tanhAll = scratchArray(dtype, steps * n * h);
    const cs = scratchArray(dtype, (steps + 1) * n * h); // c0, then the c after each step, in processing order
    cs.set(c0!.contiguous().data as FloatArray);
    const hc = new Arr(n * 2 * h); // one step's [h' | c'] rows
    const hPrev = scratchArray(dtype, steps * n * h);
    const s: Saved = { gates: [], tanhC: [], hPrev, cPrev: [], buffers: [gatesAll, tanhAll, cs, hPrev] };
    let hCur = new T.Tensor(h0!.toTypedArray(), [n, h]);
    // float32: the step kernel adds bHh to the hidden projection (the same rounding, no extra array)
    const f32 = dtype === 'float32';
    const hb = f32 && bHh ? (bHh.contiguous().data as Float32Array) : undefined;
    // and each step's h·W_hhᵀ goes into one scratch array (the step kernel reads it right away)
    const hpOut = f32 ? new T.Tensor(scratchArray(dtype, n * 4 * h), [n, 4 * h]) : undefined;
    for (let i = 0; i < steps; i++) {
      const t = reverse ? steps - 1 - i : i;
      s.hPrev.set(hCur.data as FloatArray, t * n * h);
      const hProj = projection(hCur, wHh!, f32 ? undefined : bHh, hpOut);
      const xp = xProj.subarray(t * n * 4 * h, (t + 1) * n * 4 * h);
      const gates = gatesAll.subarray(t * n * 4 * h, (t + 1) * n * 4 * h);
      const tanhC = tanhAll.subarray(t * n * h, (t + 1) * n * h);
      const cCur = cs.subarray(i * n * h, (i + 1) * n * h);
      if (f32)
        T.lstmCellStep(
          xp as Float32Array,
          hProj as Float32Array,
          cCur as Float32Array,
          n,
          h,
          gates as Float32Array,
          tanhC as Float32Array,
          hc as Float32Array,
          hb,
        );
      else forwardF64(xp, hProj, cCur, n, h, gates, tanhC, hc);
      s.gates[t] = gates;
      s.tanhC[t] = tanhC;
      s.cPrev[t] = cCur;
      const hOut = out.subarray(t * n * h, (t + 1) * n * h);
      split(hc, n, h, hOut, cs.subarray((i + 1) * n * h, (i + 2) * n * h));
      hCur = new T.Tensor(hOut, [n, h]);
    }
    if (hpOut) recycle(hpOut.data as FloatArray);
    const cCur = cs.subarray(steps * n * h);
    out.set(cCur, steps * n * h);
    const y = new T.Tensor(out, [steps + 1, n, h]);
    saved.set(y, s);
    return y;
  },
  backward: ({ inputs, output, attrs: { reverse }, needsGrad, retainGraph }, dy) => {
    const s = saved.get(output);
    if (!s) throw new Error('lstmSequence: backward found no saved state for this output');
    const dtype = output.dtype;
    const [x, , , wIh, wHh, bIh] = promoted('lstmSequence', inputs).ts;
    const [steps, n] = x!.shape as [number, number, number];
    const h = wHh!.shape[1]!;
    const Arr = dtype === 'float32' ? Float32Array : Float64Array;
    const d = floatData(dy, dtype);
    const dz = scratchArray(dtype, steps * n * 4 * h); // every step's gate gradient, in position order
    let dhNext: FloatArray = new Arr(n * h); // through the next step's hidden projection
    let dcNext: FloatArray = d.slice(steps * n * h, (steps + 1) * n * h); // the last c's gradient
    let dcSpare: FloatArray = new Arr(n * h);
    for (let i = steps - 1; i >= 0; i--) {
      const t = reverse ? steps - 1 - i : i;
      // h_t's gradient: from the output plus through the next step (one tensor add, as the engine sums)
      const dh = T.add(
        new T.Tensor(d.subarray(t * n * h, (t + 1) * n * h), [n, h]),
        new T.Tensor(dhNext, [n, h]),
      );
      const dzt = dz.subarray(t * n * 4 * h, (t + 1) * n * 4 * h);
      T.lstmCellStepGrad(
        s.gates[t]!,
        s.tanhC[t]!,
        s.cPrev[t]!,
        dh.data as FloatArray,
        0,
        dcNext,
        0,
        h,
        n,
        h,
        dzt,
        dcSpare,
      );
      [dcNext, dcSpare] = [dcSpare, dcNext]; // two buffers in turn
      if (i === 0 && !needsGrad[1]) break; // h0's gradient only when asked
      dhNext = T.matmul(new T.Tensor(dzt, [n, 4 * h]), wHh!).contiguous().data as FloatArray;
    }
    // both projections' gradient is the gates' (z = xProj + hProj)
    const dZ = new T.Tensor(dz, [steps * n, 4 * h]);
    const [dx, dwIh, dwHh, dbIh, dbHh] = projectionGrads(
      dZ,
      dZ,
      x!,
      wIh!,
      new T.Tensor(s.hPrev, [steps * n, h]),
      bIh !== undefined,
      [needsGrad[0]!, needsGrad[3]!, needsGrad[4]!, needsGrad[5] ?? false, needsGrad[6] ?? false],
    );
    recycle(dz); // the gradients above are products and sums of it, in arrays of their own
    if (!retainGraph) {
      saved.delete(output);
      recycle(...s.buffers);
    }
    return [
      dx,
      needsGrad[1] ? new T.Tensor(dhNext, [n, h]) : null,
      needsGrad[2] ? new T.Tensor(dcNext, [n, h]) : null,
      dwIh,
      dwHh,
      dbIh,
      dbHh,
    ];
  },
  // The LSTM layer exports itself as ONNX LSTM nodes (nn's LSTM.toOnnx).
  onnx: { unsupported: 'lstmSequence: export the LSTM layer, which writes itself as an ONNX LSTM node' },
  freshGrads: true,
});

/**
 * One LSTM layer direction over a time-major sequence x [T, N, I] from states h0, c0 [N, H], with
 * PyTorch's weights (weightIh [4H, I], weightHh [4H, H], biases [4H] or null; gates i, f, g, o).
 * Returns [T + 1, N, H]: h_t at position t (the reverse direction reads t = T−1 … 0 and still writes
 * h_t at t), then the final cell state.
 */
export function lstmSequence(
  x: Input,
  h0: Input,
  c0: Input,
  weightIh: Input,
  weightHh: Input,
  biasIh: Input | null,
  biasHh: Input | null,
  opts: { reverse?: boolean } = {},
): Variable {
  const inputs = withBiases('lstmSequence', [x, h0, c0, weightIh, weightHh], biasIh, biasHh);
  return lstmSequenceOp.run(inputs, { reverse: opts.reverse ?? false });
}
