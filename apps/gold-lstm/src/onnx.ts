import { noGrad, Variable } from '@tsdl/autograd';
import { exportOnnx, type OnnxBackend, OnnxSession } from '@tsdl/onnx-export';
import { Tensor } from '@tsdl/tensor';
import { type Forecaster, RawPriceForecaster } from './model.js';
import type { Affine, ScalerJSON } from './windows.js';

/** Raw price windows [count, window] (float32) ending just before each step in `t`. */
export function rawWindows(values: Float64Array, t: ArrayLike<number>, window: number): Tensor {
  const out = new Float32Array(t.length * window);
  for (let k = 0; k < t.length; k++) {
    const s = t[k]! - window;
    if (s < 0) throw new Error(`rawWindows: step ${t[k]} has fewer than ${window} past values`);
    for (let j = 0; j < window; j++) out[k * window + j] = values[s + j]!;
  }
  return new Tensor(out, [t.length, window]);
}

/**
 * The ONNX model: input `prices` [batch, window] in the series' units (oldest first), output
 * `next_price` [batch, 1] in the same units. Scaler and return↔price conversion are in the graph.
 */
export function exportForecaster(model: Forecaster, affine: Affine, scaler: ScalerJSON): Uint8Array {
  const { window, target, cell } = model.config;
  const wrapper = new RawPriceForecaster(model, affine);
  return exportOnnx(wrapper, [new Tensor(new Float32Array(window).fill(1), [1, window])], {
    inputNames: ['prices'],
    outputNames: ['next_price'],
    dynamicBatch: true,
    docString: `gold-lstm ${cell.toUpperCase()} forecaster: input = the last ${window} raw prices [batch, ${window}], oldest first; output = the next price [batch, 1] (network target: ${target}; scaler folded in)`,
    metadata: {
      config: JSON.stringify(model.config),
      scaler: JSON.stringify(scaler),
      affine: JSON.stringify(affine),
    },
  });
}

/** tsdl's own forward of the exported wrapper on raw prices [n, window] → [n] prices. */
export function wrapperPredict(model: Forecaster, affine: Affine, prices: Tensor): Float32Array {
  const wrapper = new RawPriceForecaster(model, affine).eval();
  return noGrad(() => Float32Array.from(wrapper.forward(new Variable(prices)).data.toTypedArray()));
}

/** onnxruntime's answer for raw prices [n, window] → [n] prices. */
export async function onnxPredict(
  bytes: Uint8Array,
  prices: Tensor,
  backend: OnnxBackend = 'node',
): Promise<Float32Array> {
  const session = await OnnxSession.create(bytes, { backend });
  try {
    const out = (await session.run({ prices })).next_price;
    if (!out)
      throw new Error(
        `onnxPredict: the model has no output 'next_price' (outputs: ${session.outputNames.join(', ')})`,
      );
    return Float32Array.from(out.toTypedArray());
  } finally {
    await session.release();
  }
}

export interface OnnxParity {
  backend: OnnxBackend;
  windows: number;
  /** max |onnx - tsdl| / |tsdl| over the windows, on raw prices. */
  maxRelDiff: number;
}

export async function onnxParity(
  bytes: Uint8Array,
  model: Forecaster,
  affine: Affine,
  prices: Tensor,
  backend: OnnxBackend = 'node',
): Promise<OnnxParity> {
  const ours = wrapperPredict(model, affine, prices);
  const theirs = await onnxPredict(bytes, prices, backend);
  let maxRelDiff = 0;
  for (let i = 0; i < ours.length; i++)
    maxRelDiff = Math.max(maxRelDiff, Math.abs(theirs[i]! - ours[i]!) / Math.max(Math.abs(ours[i]!), 1e-12));
  return { backend, windows: ours.length, maxRelDiff };
}
