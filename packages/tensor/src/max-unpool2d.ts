// maxUnpool2d, the partial inverse of max pooling (torch.nn.functional.max_unpool2d): every value goes
// to the position its index names inside its own output plane, everything else is zero.
import { type Pair, pair } from './conv2d.js';
import { allocArray } from './dtype.js';
import { fail, fmtShape } from './errors.js';
import { Tensor } from './tensor.js';

/** The window of the pooling being undone (it fixes the default output size), and the output size. */
export interface MaxUnpool2dOptions {
  kernelSize: Pair;
  /** Default: kernelSize, like PyTorch. */
  stride?: Pair;
  padding?: Pair;
  /**
   * [H, W] of each output plane, or the whole output shape (its leading dims must be x's). Default:
   * PyTorch's (in − 1)·stride − 2·padding + kernelSize per dim; a given size must lie strictly within
   * one stride of that default (PyTorch's rule), which is what tells the pooling's input size apart.
   */
  outputSize?: readonly number[];
}

const OP = 'maxUnpool2d';

function outputPlane(xShape: readonly number[], opts: MaxUnpool2dOptions): [number, number] {
  if (opts === null || typeof opts !== 'object')
    fail(OP, `options must be an object with kernelSize, received ${String(opts)}`);
  if (opts.kernelSize === undefined) fail(OP, 'kernelSize is required');
  const k = pair(OP, 'kernelSize', opts.kernelSize, 1, 1);
  const s = pair(OP, 'stride', opts.stride ?? opts.kernelSize, 1, 1);
  const p = pair(OP, 'padding', opts.padding, 0, 0);
  const inp = xShape.slice(-2) as [number, number];
  const dflt = inp.map((d, i) => (d - 1) * s[i]! - 2 * p[i]! + k[i]!) as [number, number];
  const given = opts.outputSize;
  if (given === undefined) {
    if (dflt[0] < 1 || dflt[1] < 1)
      fail(
        OP,
        `the default output size ${fmtShape(dflt)} is empty for input ${fmtShape(xShape)}; pass outputSize`,
      );
    return dflt;
  }
  const lead = xShape.slice(0, -2);
  if (
    !Array.isArray(given) ||
    (given.length !== 2 && given.length !== xShape.length) ||
    !given.every((d) => Number.isInteger(d)) ||
    (given.length === xShape.length && lead.some((d, i) => d !== given[i]))
  ) {
    fail(
      OP,
      `outputSize must be [H, W] or the output shape [${[...lead, 'H', 'W'].join(',')}], received ${JSON.stringify(given)}`,
    );
  }
  const out = given.slice(-2) as [number, number];
  const lo = dflt.map((d, i) => Math.max(1, d - s[i]! + 1));
  const hi = dflt.map((d, i) => d + s[i]! - 1);
  if (out.some((d, i) => d < lo[i]! || d > hi[i]!)) {
    fail(
      OP,
      `outputSize ${fmtShape(out)} is out of range for input ${fmtShape(xShape)}: each dim must be within stride of the default ${fmtShape(dflt)}, here ${lo[0]}..${hi[0]} × ${lo[1]}..${hi[1]}`,
    );
  }
  return out;
}

/**
 * Scatters x [N, C, H, W] (or [C, H, W]) into zero planes of the output size: the value at each
 * position goes to flat index h·W + w of its own output plane, as maxPool2dWithIndices (and PyTorch's
 * return_indices) gives it. Where indices repeat, the last one in row-major order wins, like
 * PyTorch on CPU. indices is int32, of x's shape, each in [0, H_out·W_out).
 */
export function maxUnpool2d(x: Tensor, indices: Tensor, opts: MaxUnpool2dOptions): Tensor {
  if (!(x instanceof Tensor)) fail(OP, `x must be a Tensor, received ${x === null ? 'null' : typeof x}`);
  if (x.dtype === 'int32') fail(OP, 'x must be float32 or float64, received int32');
  if (x.ndim !== 4 && x.ndim !== 3)
    fail(OP, `x must be 4-d [N,C,H,W] (or 3-d [C,H,W]), received ${fmtShape(x.shape)}`);
  if (!(indices instanceof Tensor))
    fail(OP, `indices must be an int32 Tensor, received ${indices === null ? 'null' : typeof indices}`);
  if (indices.dtype !== 'int32' || indices.shape.join() !== x.shape.join()) {
    fail(
      OP,
      `indices must be int32 of x's shape ${fmtShape(x.shape)}, received ${indices.dtype} ${fmtShape(indices.shape)}`,
    );
  }
  const [OH, OW] = outputPlane(x.shape, opts);
  const n = x.shape[x.ndim - 2]! * x.shape[x.ndim - 1]!;
  const m = OH * OW;
  const planes = n === 0 ? 0 : x.size / n;
  const xd = x.contiguous().data;
  const id = indices.contiguous().data;
  const out = allocArray(x.dtype, planes * m);
  for (let p = 0, i = 0; p < planes; p++) {
    const base = p * m;
    for (let q = 0; q < n; q++, i++) {
      const a = id[i]!;
      if (a < 0 || a >= m) {
        fail(
          OP,
          `indices value ${a} at flat position ${i} is out of range for an output plane of ${fmtShape([OH, OW])} (valid: 0..${m - 1})`,
        );
      }
      out[base + a] = xd[i]!;
    }
  }
  return new Tensor(out, [...x.shape.slice(0, -2), OH, OW]);
}
