// Tiny, obviously-correct reference implementations (plain loops over `get`, float64 results)
// that the fast kernels are tested against. Test-only: excluded from the build.
import { Tensor } from '../tensor.js';

/** Row-major float64 tensor from a shape and a function of the multi-index. */
export function build(shape: readonly number[], f: (idx: number[]) => number): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < size; i++) {
    out[i] = f(idx);
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d]!++;
      if (idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return new Tensor(out, shape);
}

/** C[i][j] = Σ_k A[i][k]·B[k][j] on plain row-major arrays. */
export function naiveGemm(
  A: ArrayLike<number>,
  B: ArrayLike<number>,
  M: number,
  N: number,
  K: number,
): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[i * K + k]! * B[k * N + j]!;
      C[i * N + j] = s;
    }
  return C;
}

/** numpy.matmul semantics written out directly: promote 1-d, broadcast batch dims, dot over K. */
export function naiveMatmul(a: Tensor, b: Tensor): Tensor {
  const as = a.ndim === 1 ? [1, a.shape[0]!] : [...a.shape];
  const bs = b.ndim === 1 ? [b.shape[0]!, 1] : [...b.shape];
  const ab = as.slice(0, -2);
  const bb = bs.slice(0, -2);
  const nb = Math.max(ab.length, bb.length);
  const batch: number[] = [];
  for (let i = 0; i < nb; i++) {
    const x = ab[ab.length - nb + i] ?? 1;
    const y = bb[bb.length - nb + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error('naiveMatmul: batch dims do not broadcast');
    batch.push(Math.max(x, y));
  }
  const M = as[as.length - 2]!;
  const K = as[as.length - 1]!;
  const N = bs[bs.length - 1]!;
  const full = build([...batch, M, N], (idx) => {
    const bi = idx.slice(0, nb);
    const i = idx[nb]!;
    const j = idx[nb + 1]!;
    const pick = (shape: number[]) => bi.slice(nb - shape.length).map((v, d) => (shape[d] === 1 ? 0 : v));
    const ai = pick(ab);
    const bj = pick(bb);
    let s = 0;
    for (let k = 0; k < K; k++) {
      const av = a.ndim === 1 ? a.get(k) : a.get(...ai, i, k);
      const bv = b.ndim === 1 ? b.get(k) : b.get(...bj, k, j);
      s += av * bv;
    }
    return s;
  });
  const shape = [...batch];
  if (a.ndim > 1) shape.push(M);
  if (b.ndim > 1) shape.push(N);
  return new Tensor(full.data, shape);
}

export interface NaiveConvOptions {
  stride?: [number, number];
  /** [top, left, bottom, right] */
  pads?: [number, number, number, number];
  dilation?: [number, number];
  groups?: number;
}

/** Direct 7-loop NCHW cross-correlation (float64). */
export function naiveConv2d(x: Tensor, w: Tensor, b: Tensor | null, o: NaiveConvOptions = {}): Tensor {
  const [sh, sw] = o.stride ?? [1, 1];
  const [pt, pl, pb, pr] = o.pads ?? [0, 0, 0, 0];
  const [dh, dw] = o.dilation ?? [1, 1];
  const groups = o.groups ?? 1;
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [O, Cg, kh, kw] = w.shape as [number, number, number, number];
  const OH = Math.floor((H + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const OW = Math.floor((W + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  const Og = O / groups;
  void C;
  return build([N, O, OH, OW], ([n, oc, oh, ow]) => {
    const g = Math.floor(oc! / Og);
    let s = b ? b.get(oc!) : 0;
    for (let c = 0; c < Cg; c++)
      for (let i = 0; i < kh; i++)
        for (let j = 0; j < kw; j++) {
          const h = oh! * sh - pt + i * dh;
          const ww = ow! * sw - pl + j * dw;
          if (h < 0 || h >= H || ww < 0 || ww >= W) continue;
          s += x.get(n!, g * Cg + c, h, ww) * w.get(oc!, c, i, j);
        }
    return s;
  });
}

export interface NaivePoolOptions {
  kernel: [number, number];
  stride: [number, number];
  /** [top, left, bottom, right] */
  pads: [number, number, number, number];
  dilation?: [number, number];
  /** output size (computed by the caller from the documented PyTorch formula) */
  out: [number, number];
}

/** Max over each window; padding is -inf. */
export function naiveMaxPool2d(x: Tensor, o: NaivePoolOptions): Tensor {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [dh, dw] = o.dilation ?? [1, 1];
  return build([N, C, o.out[0], o.out[1]], ([n, c, oh, ow]) => {
    let m = -Infinity;
    for (let i = 0; i < o.kernel[0]; i++)
      for (let j = 0; j < o.kernel[1]; j++) {
        const h = oh! * o.stride[0] - o.pads[0] + i * dh;
        const w = ow! * o.stride[1] - o.pads[1] + j * dw;
        const v = h >= 0 && h < H && w >= 0 && w < W ? x.get(n!, c!, h, w) : -Infinity;
        m = Math.max(m, v);
      }
    return m;
  });
}

/** Mean over each window: divisor counts padded cells (not beyond the padded extent) or only real ones. */
export function naiveAvgPool2d(x: Tensor, o: NaivePoolOptions, countIncludePad: boolean): Tensor {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  return build([N, C, o.out[0], o.out[1]], ([n, c, oh, ow]) => {
    let s = 0;
    let real = 0;
    let padded = 0;
    for (let i = 0; i < o.kernel[0]; i++)
      for (let j = 0; j < o.kernel[1]; j++) {
        const h = oh! * o.stride[0] - o.pads[0] + i;
        const w = ow! * o.stride[1] - o.pads[1] + j;
        if (h < H + o.pads[2] && w < W + o.pads[3]) padded++;
        if (h >= 0 && h < H && w >= 0 && w < W) {
          s += x.get(n!, c!, h, w);
          real++;
        }
      }
    return s / (countIncludePad ? padded : real);
  });
}

/** max |a - b| / (atol + rtol·|b|) over all elements (≤ 1 means close). Shapes must match. */
export function closeness(a: Tensor, b: Tensor, atol = 1e-5, rtol = 1e-5): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`shape ${a.shape} vs ${b.shape}`);
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i]! - y[i]!);
    if (Number.isNaN(d) && !(Number.isNaN(x[i]!) && Number.isNaN(y[i]!))) return Infinity;
    if (x[i] === y[i]) continue;
    worst = Math.max(worst, d / (atol + rtol * Math.abs(y[i]!)));
  }
  return worst;
}
