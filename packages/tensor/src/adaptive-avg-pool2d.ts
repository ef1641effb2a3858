// Adaptive average pooling over the last two dims of NCHW (or unbatched CHW), PyTorch's windows:
// output cell i of oh covers rows floor(i·H/oh) to ceil((i+1)·H/oh) (exclusive), so windows can
// differ in size and overlap when H is not a multiple of oh.
import { allocArray, isFloat } from './dtype.js';
import { fail, fmtShape } from './errors.js';
import { Tensor } from './tensor.js';

/** Output height and width: one number for both, or [h, w] where null keeps that input size. */
export type AdaptiveOutputSize = number | readonly [number | null, number | null];

/** Window bounds [start, end) of each of `out` cells over `len` inputs. */
function windows(len: number, out: number): { start: Int32Array; end: Int32Array } {
  const start = new Int32Array(out);
  const end = new Int32Array(out);
  for (let i = 0; i < out; i++) {
    start[i] = Math.floor((i * len) / out);
    end[i] = Math.floor(((i + 1) * len + out - 1) / out); // ceil, in integers
  }
  return { start, end };
}

function checkInputShape(op: string, shape: readonly number[]): void {
  if ((shape.length !== 3 && shape.length !== 4) || shape.slice(-3).some((d) => d === 0)) {
    fail(op, `input must be 4-d [N,C,H,W] or 3-d [C,H,W] with nonzero C, H, W, received ${fmtShape(shape)}`);
  }
}

/** The [oh, ow] that outputSize gives for an input of height H and width W. */
export function adaptiveOutputShape(outputSize: AdaptiveOutputSize, H: number, W: number): [number, number] {
  const op = 'adaptiveAvgPool2d';
  const pair =
    typeof outputSize === 'number'
      ? [outputSize, outputSize]
      : Array.isArray(outputSize) && outputSize.length === 2
        ? outputSize
        : fail(op, `outputSize must be a number or [h, w], received ${JSON.stringify(outputSize)}`);
  const [oh, ow] = [pair[0] ?? H, pair[1] ?? W];
  if (!Number.isInteger(oh) || !Number.isInteger(ow) || oh < 1 || ow < 1) {
    fail(op, `outputSize must be positive integers (or null), received ${JSON.stringify(outputSize)}`);
  }
  return [oh, ow];
}

/** Mean over each adaptive window (F.adaptive_avg_pool2d); sums accumulate in float64. */
export function adaptiveAvgPool2d(x: Tensor, outputSize: AdaptiveOutputSize): Tensor {
  const op = 'adaptiveAvgPool2d';
  if (!(x instanceof Tensor)) fail(op, `input must be a Tensor, received ${x === null ? 'null' : typeof x}`);
  checkInputShape(op, x.shape);
  const H = x.shape.at(-2)!;
  const W = x.shape.at(-1)!;
  const [oh, ow] = adaptiveOutputShape(outputSize, H, W);
  const planes = x.size / (H * W);
  const rows = windows(H, oh);
  const cols = windows(W, ow);
  const xd = x.contiguous().data;
  const out = allocArray(isFloat(x.dtype) ? x.dtype : 'float32', planes * oh * ow);
  for (let p = 0, o = 0; p < planes; p++) {
    const base = p * H * W;
    for (let i = 0; i < oh; i++) {
      const h0 = rows.start[i]!;
      const h1 = rows.end[i]!;
      for (let j = 0; j < ow; j++, o++) {
        const w0 = cols.start[j]!;
        const w1 = cols.end[j]!;
        let acc = 0;
        for (let h = h0; h < h1; h++) for (let w = w0, r = base + h * W; w < w1; w++) acc += xd[r + w]!;
        out[o] = acc / ((h1 - h0) * (w1 - w0));
      }
    }
  }
  return new Tensor(out, [...x.shape.slice(0, -2), oh, ow]);
}

/** Gradient of adaptiveAvgPool2d w.r.t. its input: each dy cell spread evenly over its window. */
export function adaptiveAvgPool2dGrad(dy: Tensor, inputShape: readonly number[]): Tensor {
  const op = 'adaptiveAvgPool2dGrad';
  if (!(dy instanceof Tensor)) fail(op, `dy must be a Tensor, received ${dy === null ? 'null' : typeof dy}`);
  checkInputShape(op, inputShape);
  const lead = inputShape.slice(0, -2);
  if (
    dy.ndim !== inputShape.length ||
    lead.some((d, i) => dy.shape[i] !== d) ||
    dy.shape.slice(-2).some((d) => d < 1)
  ) {
    fail(
      op,
      `dy must have shape [${lead.join(',')},oh,ow] for input ${fmtShape(inputShape)}, received ${fmtShape(dy.shape)}`,
    );
  }
  const H = inputShape.at(-2)!;
  const W = inputShape.at(-1)!;
  const oh = dy.shape.at(-2)!;
  const ow = dy.shape.at(-1)!;
  const planes = lead.reduce((a, b) => a * b, 1);
  const rows = windows(H, oh);
  const cols = windows(W, ow);
  const gd = dy.contiguous().data;
  const dx = allocArray(isFloat(dy.dtype) ? dy.dtype : 'float32', planes * H * W);
  for (let p = 0, o = 0; p < planes; p++) {
    const base = p * H * W;
    for (let i = 0; i < oh; i++) {
      const h0 = rows.start[i]!;
      const h1 = rows.end[i]!;
      for (let j = 0; j < ow; j++, o++) {
        const w0 = cols.start[j]!;
        const w1 = cols.end[j]!;
        const g = gd[o]! / ((h1 - h0) * (w1 - w0));
        for (let h = h0; h < h1; h++) for (let w = w0, r = base + h * W; w < w1; w++) dx[r + w]! += g;
      }
    }
  }
  return new Tensor(dx, [...inputShape]);
}
