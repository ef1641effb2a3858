// A whole GRU pass (one layer, one direction) over a sequence as a single op, like lstmSequence:
// forward is the step-by-step linear + gruCell pass bit for bit; backward runs the steps inside the op
// and computes the weight and bias gradients as one product (or sum) each over all steps.
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
import { forwardF64 } from './gru-cell.js';

/** Per output: every step's gates r, z, n and hidden projection, and the h each step read. */
interface Saved {
  gates: FloatArray; // [T·N, 3H] in position order
  hProj: FloatArray[]; // [N, 3H] per position
  hPrev: FloatArray; // [T·N, H]
}
const saved = new WeakMap<T.Tensor, Saved>();

const gruSequenceOp = defineOp<SequenceAttrs>({
  name: 'gruSequence',
  forward: (inputs, { reverse }) => {
    const { dtype, ts } = promoted('gruSequence', inputs);
    const [x, h0, wIh, wHh, bIh, bHh] = ts;
    checkSequence('gruSequence', 3, x!, wIh!, wHh!, [['h0', h0!]]);
    const [steps, n, inF] = x!.shape as [number, number, number];
    const h = wHh!.shape[1]!;
    const Arr = dtype === 'float32' ? Float32Array : Float64Array;
    const xProj = projection(T.reshape(x!, [steps * n, inF]), wIh!, bIh);
    const out = new Arr(steps * n * h); // h_t at position t
    // recycled arrays (cell-math.ts scratchArray): every element is written below
    const s: Saved = {
      gates: scratchArray(dtype, steps * n * 3 * h),
      hProj: [],
      hPrev: scratchArray(dtype, steps * n * h),
    };
    let hCur = h0!.contiguous().data as FloatArray;
    for (let i = 0; i < steps; i++) {
      const t = reverse ? steps - 1 - i : i;
      const g3 = [t * n * 3 * h, (t + 1) * n * 3 * h] as const;
      s.hPrev.set(hCur, t * n * h);
      const hp = projection(new T.Tensor(hCur, [n, h]), wHh!, bHh);
      s.hProj[t] = hp; // the projection's own fresh array, kept as is
      const xp = xProj.subarray(...g3);
      const gates = s.gates.subarray(...g3);
      const hOut = out.subarray(t * n * h, (t + 1) * n * h);
      if (dtype === 'float32')
        T.gruCellStep(
          xp as Float32Array,
          hp as Float32Array,
          hCur as Float32Array,
          n,
          h,
          gates as Float32Array,
          hOut as Float32Array,
        );
      else forwardF64(xp, hp, hCur, n, h, gates, hOut);
      hCur = hOut;
    }
    const y = new T.Tensor(out, [steps, n, h]);
    saved.set(y, s);
    return y;
  },
  backward: ({ inputs, output, attrs: { reverse }, needsGrad, retainGraph }, dy) => {
    const s = saved.get(output);
    if (!s) throw new Error('gruSequence: backward found no saved state for this output');
    const dtype = output.dtype;
    const [x, , wIh, wHh, bIh] = promoted('gruSequence', inputs).ts;
    const [steps, n] = x!.shape as [number, number, number];
    const h = wHh!.shape[1]!;
    const Arr = dtype === 'float32' ? Float32Array : Float64Array;
    const d = floatData(dy, dtype);
    const dX = scratchArray(dtype, steps * n * 3 * h); // xProj's gradient per step, position order
    const dHP = scratchArray(dtype, steps * n * 3 * h); // hProj's
    let dhNext: FloatArray = new Arr(n * h); // h's gradient from the step after (in processing order)
    const dhDirect = new Arr(n * h);
    for (let i = steps - 1; i >= 0; i--) {
      const t = reverse ? steps - 1 - i : i;
      const g3 = [t * n * 3 * h, (t + 1) * n * 3 * h] as const;
      // h_t's gradient: from the output plus through the next step (one tensor add, as the engine sums)
      const dout = T.add(
        new T.Tensor(d.subarray(t * n * h, (t + 1) * n * h), [n, h]),
        new T.Tensor(dhNext, [n, h]),
      ).data as FloatArray;
      const dhp = dHP.subarray(...g3);
      T.gruCellStepGrad(
        s.gates.subarray(...g3),
        s.hProj[t]!,
        s.hPrev.subarray(t * n * h, (t + 1) * n * h),
        dout,
        n,
        h,
        dX.subarray(...g3),
        dhp,
        dhDirect,
      );
      // the previous h's gradient: through hProj plus the direct z·dout (for h0 only when asked)
      if (i === 0 && !needsGrad[1]) break;
      dhNext = T.add(T.matmul(new T.Tensor(dhp, [n, 3 * h]), wHh!), new T.Tensor(dhDirect, [n, h]))
        .data as FloatArray;
    }
    const [dx, dwIh, dwHh, dbIh, dbHh] = projectionGrads(
      new T.Tensor(dX, [steps * n, 3 * h]),
      new T.Tensor(dHP, [steps * n, 3 * h]),
      x!,
      wIh!,
      new T.Tensor(s.hPrev, [steps * n, h]),
      bIh !== undefined,
      [needsGrad[0]!, needsGrad[2]!, needsGrad[3]!, needsGrad[4] ?? false, needsGrad[5] ?? false],
    );
    recycle(dX, dHP); // the gradients above are products and sums of them, in arrays of their own
    if (!retainGraph) {
      saved.delete(output);
      recycle(s.gates, s.hPrev);
    }
    return [dx, needsGrad[1] ? new T.Tensor(dhNext, [n, h]) : null, dwIh, dwHh, dbIh, dbHh];
  },
  // The GRU layer exports itself as ONNX GRU nodes (nn's GRU.toOnnx).
  onnx: { unsupported: 'gruSequence: export the GRU layer, which writes itself as an ONNX GRU node' },
  freshGrads: true,
});

/**
 * One GRU layer direction over a time-major sequence x [T, N, I] from h0 [N, H], with PyTorch's
 * weights (weightIh [3H, I], weightHh [3H, H], biases [3H] or null; gates r, z, n). Returns the hidden
 * states [T, N, H], h_t at position t (the reverse direction reads t = T−1 … 0); the final state is
 * position T−1 (forward) or 0 (reverse).
 */
export function gruSequence(
  x: Input,
  h0: Input,
  weightIh: Input,
  weightHh: Input,
  biasIh: Input | null,
  biasHh: Input | null,
  opts: { reverse?: boolean } = {},
): Variable {
  const inputs = withBiases('gruSequence', [x, h0, weightIh, weightHh], biasIh, biasHh);
  return gruSequenceOp.run(inputs, { reverse: opts.reverse ?? false });
}
