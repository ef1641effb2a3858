import { type Pair, pair, resolvePads } from './conv2d.js';
import { allocArray, type DType } from './dtype.js';
import { fail, fmtShape } from './errors.js';
import { type FloatArray, kernels, type Window2d } from './kernels.js';
import { Tensor } from './tensor.js';

type Pads4 = readonly [number, number, number, number];
/** stride defaults to kernelSize (PyTorch). */
export interface MaxPool2dOptions {
  kernelSize: Pair;
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
  /** Explicit, possibly asymmetric padding [top, left, bottom, right] (ONNX order); overrides `padding`. */
  pads?: Pads4;
}
export interface AvgPool2dOptions {
  kernelSize: Pair;
  stride?: Pair;
  padding?: Pair;
  ceilMode?: boolean;
  /** Count padded cells in the divisor (default true, like PyTorch). */
  countIncludePad?: boolean;
  /** Explicit, possibly asymmetric padding [top, left, bottom, right] (ONNX order); overrides `padding`. */
  pads?: Pads4;
}

interface PoolGeometry {
  planes: number;
  outShape: number[];
  win: Window2d;
  padBottom: number;
  padRight: number;
}

/** PyTorch's pooling output size, with asymmetric padding allowed. */
function outSize(
  inp: number,
  padBefore: number,
  padAfter: number,
  ek: number,
  s: number,
  ceil: boolean,
): number {
  const span = inp + padBefore + padAfter - ek;
  let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  // The last window must start inside the input or the leading padding.
  if (ceil && (o - 1) * s >= inp + padBefore) o--;
  return o;
}

function poolGeometry(
  op: string,
  xShape: readonly number[],
  opts: MaxPool2dOptions | AvgPool2dOptions,
  dilation: Pair | undefined,
): PoolGeometry {
  if (opts === null || typeof opts !== 'object')
    fail(op, `options must be an object with kernelSize, received ${String(opts)}`);
  if (xShape.length !== 4 && xShape.length !== 3) {
    fail(op, `input must be 4-d [N,C,H,W] (or 3-d [C,H,W]), received ${fmtShape(xShape)}`);
  }
  const [H, W] = xShape.slice(-2) as [number, number];
  const planes = xShape.slice(0, -2).reduce((a, b) => a * b, 1);
  if (opts.kernelSize === undefined) fail(op, 'kernelSize is required');
  const [kh, kw] = pair(op, 'kernelSize', opts.kernelSize, 1, 1);
  const [sh, sw] = pair(op, 'stride', opts.stride ?? opts.kernelSize, 1, 1);
  const [dh, dw] = pair(op, 'dilation', dilation, 1, 1);
  const [pt, pl, pb, pr] = resolvePads(op, opts.padding, opts.pads);
  if (opts.pads === undefined && (pt > kh / 2 || pl > kw / 2)) {
    fail(
      op,
      `padding should be at most half of kernel size, received padding [${pt},${pl}] for kernelSize [${kh},${kw}]`,
    );
  }
  const ekh = dh * (kh - 1) + 1;
  const ekw = dw * (kw - 1) + 1;
  const ceil = opts.ceilMode ?? false;
  const OH = outSize(H, pt, pb, ekh, sh, ceil);
  const OW = outSize(W, pl, pr, ekw, sw, ceil);
  if (OH < 1 || OW < 1) {
    fail(
      op,
      `output size [${OH},${OW}] is too small for input ${fmtShape(xShape)} with kernel [${ekh},${ekw}] and padding [${pt},${pl},${pb},${pr}]`,
    );
  }
  return {
    planes,
    outShape: [...xShape.slice(0, -2), OH, OW],
    win: { H, W, OH, OW, kh, kw, sh, sw, ph: pt, pw: pl, dh, dw },
    padBottom: pb,
    padRight: pr,
  };
}

function floatInput(op: string, x: unknown): { t: Tensor; dtype: DType; data: FloatArray } {
  if (!(x instanceof Tensor)) fail(op, `input must be a Tensor, received ${x === null ? 'null' : typeof x}`);
  if (x.dtype === 'int32') fail(op, 'input must be float32 or float64, received int32');
  return { t: x, dtype: x.dtype, data: x.contiguous().data as FloatArray };
}

function checkDy(op: string, dy: Tensor, want: readonly number[]): void {
  if (!(dy instanceof Tensor)) fail(op, `dy must be a Tensor, received ${typeof dy}`);
  if (dy.ndim !== want.length || dy.shape.some((d, i) => d !== want[i])) {
    fail(op, `dy must have the pooling output shape ${fmtShape(want)}, received ${fmtShape(dy.shape)}`);
  }
}

/** 2-d max pooling over NCHW (padding counts as -inf; windows may be dilated). */
export function maxPool2d(x: Tensor, opts: MaxPool2dOptions): Tensor {
  const { dtype, data } = floatInput('maxPool2d', x);
  const geo = poolGeometry('maxPool2d', x.shape, opts, opts?.dilation);
  const out = allocArray(dtype, geo.planes * geo.win.OH * geo.win.OW) as FloatArray;
  kernels.maxPool2d(data, geo.planes, geo.win, out, null);
  return new Tensor(out, geo.outShape);
}

/**
 * maxPool2d that also returns where each max came from (PyTorch's `return_indices=True`): `indices`
 * is an int32 tensor of the output's shape holding the flat index h·W + w of the max inside its own
 * [H, W] input plane (PyTorch gives int64; ONNX MaxPool counts over the whole N·C·H·W tensor instead).
 * `values` is bit-identical to maxPool2d's: one kernel pass writes both, with its tie rule (the
 * first max in row-major window order) and NaN rule (a NaN beats any number and the last NaN in the
 * window wins), both PyTorch's CPU kernel's. A window that saw only
 * padding, possible only with explicit `pads`, gets -Infinity and index -1.
 */
export function maxPool2dWithIndices(x: Tensor, opts: MaxPool2dOptions): { values: Tensor; indices: Tensor } {
  const { dtype, data } = floatInput('maxPool2dWithIndices', x);
  const geo = poolGeometry('maxPool2dWithIndices', x.shape, opts, opts?.dilation);
  const n = geo.planes * geo.win.OH * geo.win.OW;
  const out = allocArray(dtype, n) as FloatArray;
  const argmax = new Int32Array(n);
  kernels.maxPool2d(data, geo.planes, geo.win, out, argmax);
  return { values: new Tensor(out, geo.outShape), indices: new Tensor(argmax, geo.outShape) };
}

/** 2-d average pooling over NCHW; countIncludePad (default true) decides whether padding counts in the mean. */
export function avgPool2d(x: Tensor, opts: AvgPool2dOptions): Tensor {
  const { dtype, data } = floatInput('avgPool2d', x);
  const geo = poolGeometry('avgPool2d', x.shape, opts, undefined);
  const out = allocArray(dtype, geo.planes * geo.win.OH * geo.win.OW) as FloatArray;
  kernels.avgPool2d(
    data,
    geo.planes,
    geo.win,
    geo.padBottom,
    geo.padRight,
    opts.countIncludePad ?? true,
    out,
  );
  return new Tensor(out, geo.outShape);
}

/**
 * Gradient of maxPool2d w.r.t. x (routes dy to the max positions; ties go to the first, like PyTorch).
 * `indices` (maxPool2dWithIndices' for the same x and opts) saves finding the maxima again.
 */
export function maxPool2dGrad(dy: Tensor, x: Tensor, opts: MaxPool2dOptions, indices?: Tensor): Tensor {
  const { dtype, data } = floatInput('maxPool2dGrad', x);
  const geo = poolGeometry('maxPool2dGrad', x.shape, opts, opts?.dilation);
  checkDy('maxPool2dGrad', dy, geo.outShape);
  const { H, W, OH, OW } = geo.win;
  const n = OH * OW;
  let argmax: Int32Array;
  if (indices !== undefined) {
    if (
      indices.dtype !== 'int32' ||
      indices.ndim !== geo.outShape.length ||
      indices.shape.some((d, i) => d !== geo.outShape[i])
    )
      fail(
        'maxPool2dGrad',
        `indices must be int32 of the output shape ${fmtShape(geo.outShape)}, received ${indices.dtype} ${fmtShape(indices.shape)}`,
      );
    const c = indices.contiguous();
    argmax = (c.data as Int32Array).subarray(c.offset, c.offset + c.size);
  } else {
    argmax = new Int32Array(geo.planes * n);
    kernels.maxPool2d(data, geo.planes, geo.win, allocArray(dtype, argmax.length) as FloatArray, argmax);
  }
  const dyd = (dy.dtype === dtype ? dy.contiguous().data : dy.to(dtype).data) as FloatArray;
  const dx = allocArray(dtype, x.size) as FloatArray;
  const bad = kernels.maxPool2dGrad(dyd, argmax, geo.planes, n, H * W, dx);
  if (bad >= 0) fail('maxPool2dGrad', `index ${argmax[bad]} at output ${bad} is outside its ${H}×${W} plane`);
  return new Tensor(dx, x.shape);
}

/** Gradient of avgPool2d w.r.t. x: each dy cell spread evenly over its window (with the forward's divisor). */
export function avgPool2dGrad(dy: Tensor, inputShape: readonly number[], opts: AvgPool2dOptions): Tensor {
  if (!(dy instanceof Tensor)) fail('avgPool2dGrad', `dy must be a Tensor, received ${typeof dy}`);
  if (dy.dtype === 'int32') fail('avgPool2dGrad', 'dy must be float32 or float64, received int32');
  const geo = poolGeometry('avgPool2dGrad', inputShape, opts, undefined);
  checkDy('avgPool2dGrad', dy, geo.outShape);
  const dx = allocArray(dy.dtype, geo.planes * geo.win.H * geo.win.W) as FloatArray;
  const dyd = dy.contiguous().data as FloatArray;
  kernels.avgPool2dGrad(
    dyd,
    geo.planes,
    geo.win,
    geo.padBottom,
    geo.padRight,
    opts.countIncludePad ?? true,
    dx,
  );
  return new Tensor(dx, [...inputShape]);
}
