import { allocArray, type DType, promoteTypes } from './dtype.js';
import { fail, fmtShape } from './errors.js';
import { type FloatArray, kernels, type Window2d } from './kernels.js';
import { Tensor } from './tensor.js';

export type Pair = number | readonly [number, number];
export interface Conv2dOptions {
  stride?: Pair;
  /** Zero padding on both sides, or 'valid' (none) / 'same' (stride 1 only; odd extra goes bottom/right, like PyTorch). */
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
  /** Explicit, possibly asymmetric padding [top, left, bottom, right] (ONNX order); overrides `padding`. */
  pads?: readonly [number, number, number, number];
}

/** A number or [h, w] checked to hold integers ≥ min. */
export function pair(
  op: string,
  name: string,
  v: Pair | undefined,
  dflt: number,
  min: number,
): [number, number] {
  const p: unknown = v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((d) => Number.isInteger(d) && d >= min)) {
    fail(op, `${name} must be an integer ≥ ${min} or a pair [h, w] of them, received ${JSON.stringify(v)}`);
  }
  return [p[0]!, p[1]!];
}

/** [top, left, bottom, right] from `pads` if given, else symmetric `padding`. */
export function resolvePads(
  op: string,
  padding: Pair | undefined,
  pads: readonly number[] | undefined,
): [number, number, number, number] {
  if (pads !== undefined) {
    if (!Array.isArray(pads) || pads.length !== 4 || !pads.every((d) => Number.isInteger(d) && d >= 0)) {
      fail(
        op,
        `pads must be 4 non-negative integers [top, left, bottom, right], received ${JSON.stringify(pads)}`,
      );
    }
    return [pads[0]!, pads[1]!, pads[2]!, pads[3]!];
  }
  const [ph, pw] = pair(op, 'padding', padding, 0, 0);
  return [ph, pw, ph, pw];
}

interface ConvGeometry {
  N: number;
  C: number;
  O: number;
  groups: number;
  Cg: number;
  Og: number;
  win: Window2d;
  unbatched: boolean;
}

function convGeometry(
  op: string,
  xShape: readonly number[],
  wShape: readonly number[],
  opts: Conv2dOptions,
): ConvGeometry {
  if (opts === null || typeof opts !== 'object')
    fail(op, `options must be an object, received ${String(opts)}`);
  const unbatched = xShape.length === 3;
  if (xShape.length !== 4 && !unbatched) {
    fail(op, `input must be 4-d [N,C,H,W] (or 3-d [C,H,W]), received ${fmtShape(xShape)}`);
  }
  if (wShape.length !== 4) fail(op, `weight must be 4-d [O,C/groups,kh,kw], received ${fmtShape(wShape)}`);
  const [N, C, H, W] = unbatched ? [1, ...xShape] : xShape;
  const [O, Cg, kh, kw] = wShape as [number, number, number, number];
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1)
    fail(op, `groups must be a positive integer, received ${groups}`);
  if (O % groups !== 0)
    fail(op, `weight ${fmtShape(wShape)} has ${O} output channels, not divisible by groups=${groups}`);
  if (Cg * groups !== C) {
    fail(
      op,
      `input ${fmtShape(xShape)} has ${C} channels but weight ${fmtShape(wShape)} with groups=${groups} expects ${Cg * groups}`,
    );
  }
  const [sh, sw] = pair(op, 'stride', opts.stride, 1, 1);
  const [dh, dw] = pair(op, 'dilation', opts.dilation, 1, 1);
  const ekh = dh * (kh - 1) + 1;
  const ekw = dw * (kw - 1) + 1;
  let pads: [number, number, number, number];
  if (opts.pads === undefined && opts.padding === 'valid') pads = [0, 0, 0, 0];
  else if (opts.pads === undefined && opts.padding === 'same') {
    if (sh !== 1 || sw !== 1)
      fail(
        op,
        `padding='same' is not supported for strided convolutions (stride ${JSON.stringify(opts.stride)})`,
      );
    const th = ekh - 1;
    const tw = ekw - 1;
    pads = [th >> 1, tw >> 1, th - (th >> 1), tw - (tw >> 1)];
  } else pads = resolvePads(op, opts.padding as Pair | undefined, opts.pads);
  const [pt, pl, pb, pr] = pads;
  const Hp = H! + pt + pb;
  const Wp = W! + pl + pr;
  if (Hp < ekh || Wp < ekw) {
    fail(
      op,
      `input ${fmtShape(xShape)} padded to [${Hp},${Wp}] is smaller than the dilated kernel [${ekh},${ekw}]`,
    );
  }
  const OH = Math.floor((Hp - ekh) / sh) + 1;
  const OW = Math.floor((Wp - ekw) / sw) + 1;
  return {
    N: N!,
    C: C!,
    O,
    groups,
    Cg,
    Og: O / groups,
    win: { H: H!, W: W!, OH, OW, kh, kw, sh, sw, ph: pt, pw: pl, dh, dw },
    unbatched,
  };
}

function floatDType(op: string, ...ts: Tensor[]): DType {
  let d: DType = ts[0]!.dtype;
  for (const t of ts) d = promoteTypes(d, t.dtype);
  if (d === 'int32')
    fail(op, `expects float32 or float64 tensors, received ${ts.map((t) => t.dtype).join(', ')}`);
  return d;
}

/** Row-major elements of t as dtype (no copy when already so). */
function floatData(t: Tensor, dtype: DType): FloatArray {
  return (t.dtype === dtype ? t.contiguous() : t.to(dtype)).data as FloatArray;
}

function checkTensor(op: string, name: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor))
    fail(op, `${name} must be a Tensor, received ${t === null ? 'null' : typeof t}`);
}

// The bias spread over a row of O·L for addBias, reused across calls (ops are synchronous).
let biasRow = new Float32Array(0);

/**
 * out[n, o, :] += b[o] over [N, O, L]: in float32 one binaryF32 call over the whole output with the
 * bias spread into a row of O·L (per-(n, o) calls of L elements cost more in calls than in adding).
 */
function addBias(out: FloatArray, b: FloatArray, N: number, O: number, L: number): void {
  if (out instanceof Float32Array && b instanceof Float32Array) {
    if (biasRow.length < O * L) biasRow = new Float32Array(O * L);
    for (let o = 0; o < O; o++) biasRow.fill(b[o]!, o * L, (o + 1) * L);
    kernels.binaryF32('add', out, 0, N * O * L, biasRow, 0, O * L, out, N * O * L);
    return;
  }
  for (let n = 0, i = 0; n < N; n++)
    for (let o = 0; o < O; o++) for (let l = 0; l < L; l++, i++) out[i] = out[i]! + b[o]!;
}

/**
 * NCHW convolution (cross-correlation, like PyTorch). x [N,C,H,W] (or [C,H,W]), w [O,C/groups,kh,kw],
 * b [O] or null. One kernels.sgemmUnfold (im2col + GEMM, or a direct convolution) per group.
 */
export function conv2d(x: Tensor, w: Tensor, b: Tensor | null = null, opts: Conv2dOptions = {}): Tensor {
  checkTensor('conv2d', 'input', x);
  checkTensor('conv2d', 'weight', w);
  if (b !== null && b !== undefined) {
    checkTensor('conv2d', 'bias', b);
    if (b.ndim !== 1 || b.shape[0] !== w.shape[0]) {
      fail(
        'conv2d',
        `bias must have shape [${w.shape[0]}] for weight ${fmtShape(w.shape)}, received ${fmtShape(b.shape)}`,
      );
    }
  }
  const geo = convGeometry('conv2d', x.shape, w.shape, opts);
  const dtype = b ? floatDType('conv2d', x, w, b) : floatDType('conv2d', x, w);
  const { N, C, O, groups, Cg, Og, win } = geo;
  const { OH, OW, kh, kw } = win;
  const HW = win.H * win.W;
  const L = OH * OW;
  const CKK = Cg * kh * kw;
  const xd = floatData(x, dtype);
  const wd = floatData(w, dtype);
  const bd = b ? floatData(b, dtype) : null;
  const out = allocArray(dtype, N * O * L) as FloatArray;
  for (let g = 0; g < groups; g++) {
    // straight into out: channel rows L apart, images O·L apart
    kernels.sgemmUnfold(
      false,
      Og,
      1,
      wd,
      g * Og * CKK,
      CKK,
      xd,
      g * Cg * HW,
      C * HW,
      N,
      Cg,
      win,
      0,
      out,
      g * Og * L,
      L,
      O * L,
    );
  }
  if (bd) addBias(out, bd, N, O, L);
  return new Tensor(out, geo.unbatched ? [O, OH, OW] : [N, O, OH, OW]);
}

function checkDy(op: string, dy: Tensor, geo: ConvGeometry): void {
  const { N, O, win } = geo;
  const want = geo.unbatched ? [O, win.OH, win.OW] : [N, O, win.OH, win.OW];
  if (dy.ndim !== want.length || dy.shape.some((d, i) => d !== want[i])) {
    fail(op, `dy must have the conv2d output shape ${fmtShape(want)}, received ${fmtShape(dy.shape)}`);
  }
}

/** Gradient of conv2d w.r.t. its input, given dy [N,O,OH,OW]: col2im(Wᵀ·dy) per group (kernels.sgemmFold). */
export function conv2dGradInput(
  dy: Tensor,
  w: Tensor,
  inputShape: readonly number[],
  opts: Conv2dOptions = {},
): Tensor {
  checkTensor('conv2dGradInput', 'dy', dy);
  checkTensor('conv2dGradInput', 'weight', w);
  const geo = convGeometry('conv2dGradInput', inputShape, w.shape, opts);
  checkDy('conv2dGradInput', dy, geo);
  const dtype = floatDType('conv2dGradInput', dy, w);
  const { N, C, O, groups, Cg, Og, win } = geo;
  const { H, W, OH, OW, kh, kw } = win;
  const L = OH * OW;
  const CKK = Cg * kh * kw;
  const dyd = floatData(dy, dtype);
  const wd = floatData(w, dtype);
  const dx = allocArray(dtype, N * C * H * W) as FloatArray;
  for (let g = 0; g < groups; g++) {
    kernels.sgemmFold(
      true,
      Og,
      wd,
      g * Og * CKK,
      CKK,
      dyd,
      g * Og * L,
      L,
      O * L,
      dx,
      g * Cg * H * W,
      C * H * W,
      N,
      Cg,
      win,
    );
  }
  return new Tensor(dx, [...inputShape]);
}

/** Gradient of conv2d w.r.t. its weight: Σₙ dy·im2col(x)ᵀ per group (kernels.sgemmUnfold, transposed). (The bias grad is dy summed over N, H, W.) */
export function conv2dGradWeight(
  x: Tensor,
  dy: Tensor,
  weightShape: readonly number[],
  opts: Conv2dOptions = {},
): Tensor {
  checkTensor('conv2dGradWeight', 'input', x);
  checkTensor('conv2dGradWeight', 'dy', dy);
  const geo = convGeometry('conv2dGradWeight', x.shape, weightShape, opts);
  checkDy('conv2dGradWeight', dy, geo);
  const dtype = floatDType('conv2dGradWeight', x, dy);
  const { N, C, O, groups, Cg, Og, win } = geo;
  const { OH, OW, kh, kw } = win;
  const HW = win.H * win.W;
  const L = OH * OW;
  const CKK = Cg * kh * kw;
  const xd = floatData(x, dtype);
  const dyd = floatData(dy, dtype);
  const dw = allocArray(dtype, O * CKK) as FloatArray;
  for (let g = 0; g < groups; g++) {
    kernels.sgemmUnfold(
      true,
      Og,
      1,
      dyd,
      g * Og * L,
      L,
      xd,
      g * Cg * HW,
      C * HW,
      N,
      Cg,
      win,
      1,
      dw,
      g * Og * CKK,
      CKK,
      O * L,
    );
  }
  return new Tensor(dw, [...weightShape]);
}
