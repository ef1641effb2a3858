// The stride-1 conv GEMMs done as direct convolutions (assembly/conv-direct.ts) in a ConvEngine's
// memory: images are laid out padded, with rows S = OW + ekw − 1 apart, so every tap is the image
// shifted by a constant and the kernel reads it in place (no im2col, no packing of the image).
// Each function returns false, having written nothing the caller sees, where the direct form does
// not apply; the caller then runs im2col + sgemm.
import type { SgemmFoldKernel, SgemmUnfoldKernel, Window2d } from '../kernels.js';
import type { ConvEngine, F32 } from './wasm-conv-gemm.js';
import { imageSpan, stageImageRows } from './wasm-conv-layout.js';
import { align16, copyCIn, copyCOut, span } from './wasm-sgemm.js';

/** What assembly/conv-direct.ts exports. */
export interface ConvDirectExports {
  convDirect(
    x: number,
    xs: number,
    nb: number,
    wp: number,
    off: number,
    K: number,
    O: number,
    P: number,
    out: number,
    os: number,
    ranges: number,
  ): void;
  convDirectGradW(
    x: number,
    xs: number,
    nb: number,
    dy: number,
    ds: number,
    off: number,
    K: number,
    O: number,
    P: number,
    dw: number,
    ldw: number,
  ): void;
  packPairs(src: number, O: number, K: number, rs: number, cs: number, dst: number, Kt: number): void;
  copyPlanes(
    src: number,
    sps: number,
    srs: number,
    dst: number,
    dps: number,
    drs: number,
    planes: number,
    rows: number,
    cols: number,
    alpha: number,
    beta: number,
  ): void;
  allFinite(p: number, n: number): number;
  convDirectGradWT(
    x: number,
    xs: number,
    nb: number,
    dyT: number,
    ds: number,
    off: number,
    K: number,
    O: number,
    OH: number,
    OW: number,
    S: number,
    dw: number,
    ldw: number,
  ): void;
  transpose(src: number, rows: number, cols: number, srs: number, dst: number, drs: number): void;
  convDirectT(
    x: number,
    xs: number,
    nb: number,
    wt: number,
    off: number,
    K: number,
    O: number,
    pos: number,
    L: number,
    outT: number,
    os: number,
  ): void;
}

const up = (n: number, m: number): number => Math.ceil(n / m) * m;

/**
 * The direct form needs stride 1, and pays where the im2col + GEMM path is starved: the GEMM reuses
 * each unfolded element once per output row, so few rows (LeNet's 6 and 16 output channels) leave it
 * mostly packing. Measured per layer (bench/README.md, ninth round), the direct forms run where:
 * the forward has ≤ 16 output rows, or ≤ 64 with ≥ 64 taps (a CIFAR 3→32 3×3 layer, 27 taps, ran
 * 1.1–1.3× slower direct); the weight gradient has ≤ 32 rows (over transposed dy when more than 8 rows
 * would throw away over 10 % of the flat positions); the input gradient has dy of ≤ 16 channels (the
 * GEMM's depth there).
 */
const DIRECT_MAX_ROWS = 64;
function directApplies(g: Window2d, M: number): boolean {
  return g.sh === 1 && g.sw === 1 && M <= DIRECT_MAX_ROWS;
}

/**
 * The padded image layout the forward and weight-gradient forms read: rows S = OW + ekw − 1 apart,
 * Hp = OH + ekh − 1 rows per channel, images xs floats apart; K = C·kh·kw taps, L = OH·OW kept positions.
 */
interface Flat {
  g: Window2d;
  C: number;
  ekw: number;
  S: number;
  Hp: number;
  K: number;
  L: number;
  xs: number;
  /** Floats of one unpadded image. */
  image: number;
}

function flatLayout(g: Window2d, C: number): Flat {
  const ekw = g.dw * (g.kw - 1) + 1;
  const S = g.OW + ekw - 1;
  const Hp = g.OH + g.dh * (g.kh - 1);
  return {
    g,
    C,
    ekw,
    S,
    Hp,
    K: C * g.kh * g.kw,
    L: g.OH * g.OW,
    xs: up(C * Hp * S, 4),
    image: C * g.H * g.W,
  };
}

/** Byte offsets of the taps (c, ky, kx) in a [C, Hp, S] image; padded with zeros to Kp entries. */
function writeOffsets(
  e: ConvEngine,
  p: number,
  C: number,
  g: Window2d,
  Hp: number,
  S: number,
  Kp: number,
): void {
  const off = new Int32Array(e.ensure(0).buffer, p, Kp);
  let k = 0;
  for (let c = 0; c < C; c++)
    for (let ky = 0; ky < g.kh; ky++)
      for (let kx = 0; kx < g.kw; kx++) off[k++] = 4 * (c * Hp * S + ky * g.dh * S + kx * g.dw);
  off.fill(0, k);
}

/** Bytes for nb padded images (with the zeros after the last) at pX and, past them, their raw copies. */
const imagesBytes = (f: Flat, nb: number): number => 4 * (nb * f.xs + slack(f.ekw)) + 16 + 4 * nb * f.image;

/**
 * nb images (image i at x[xOff + i·imageStride]) copied to `pX` as padded images of layout f
 * (zeros around, and after the last for the wrapped reads), staged raw after them when padding is
 * needed (imagesBytes in all). Returns where the raw images are (for checks): pX when unpadded.
 */
function placeImages(
  e: ConvEngine,
  f: Flat,
  x: Float32Array,
  xOff: number,
  imageStride: number,
  nb: number,
  pX: number,
): number {
  const { g, C, S, Hp, xs, image } = f;
  const { H, W } = g;
  const f32 = e.ensure(0);
  const end = (pX >> 2) + nb * xs + slack(f.ekw);
  if (g.ph === 0 && g.pw === 0 && Hp === H && S === W) {
    for (let i = 0; i < nb; i++) {
      const src = xOff + i * imageStride;
      f32.set(x.subarray(src, src + image), (pX >> 2) + i * xs);
      f32.fill(0, (pX >> 2) + i * xs + image, (pX >> 2) + (i + 1) * xs);
    }
    f32.fill(0, (pX >> 2) + nb * xs, end);
    return pX;
  }
  const pRaw = align16(4 * end);
  for (let i = 0; i < nb; i++) {
    const src = xOff + i * imageStride;
    f32.set(x.subarray(src, src + image), (pRaw >> 2) + i * image);
  }
  f32.fill(0, pX >> 2, end);
  const ex = e.ex as unknown as ConvDirectExports;
  for (let i = 0; i < nb; i++)
    ex.copyPlanes(
      pRaw + 4 * i * image,
      H * W,
      W,
      pX + 4 * (i * xs + g.ph * S + g.pw),
      Hp * S,
      S,
      C,
      H,
      W,
      1,
      0,
    );
  return pRaw;
}

/** Zeros after the last image: the last tile's taps read up to 15 + ekw floats past it. */
const slack = (ekw: number): number => up(16 + ekw, 4);

// Images per block: a block's scratch (padded images, flat outputs, staged operands) is capped at
// DIRECT_CAP floats (16 MB), so the arena stays bounded whatever the batch.
const DIRECT_CAP = 1 << 22;
const imagesPerDirectBlock = (nb: number, perImage: number): number =>
  Math.max(1, Math.min(nb, Math.floor(DIRECT_CAP / perImage)));

/**
 * Forward (C = alpha·conv(x; A) + beta·C, C's image rows ldi apart) as a direct convolution; see
 * SgemmUnfoldKernel. Two forms, both bit-identical to im2col + sgemm (the same taps, chunks, rounding):
 * - flat (convDirect): weights packed as splatted row pairs, all flat positions computed, the dropped
 *   ones (x ≥ OW) left out when C is written;
 * - by channels (convDirectT), at alpha 1 and beta 0 for more than 8 rows whose flat rows drop over
 *   10 % of positions (LeNet's second layer: 14 per 10): the output channels as the vector lanes
 *   (weights transposed, rows padded to a multiple of 16 with zeros), only the kept positions
 *   computed (listed in a table, paired), the [positions, channels] result transposed into C.
 */
export function directForward(e: ConvEngine, ...args: Parameters<SgemmUnfoldKernel>): boolean {
  const [, M, alpha, A, offA, lda, x, xOff, imageStride, nb, Cg, g, beta, C, offC, ldc, ldi] =
    args as UnfoldF32;
  const f = flatLayout(g, Cg);
  const { S, Hp, K, L, xs } = f;
  if (!directApplies(g, M) || (M > 16 && K < 64)) return false;
  const P = up(g.OH * S, 16);
  const byChannels = M > 8 && P > 1.1 * L && alpha === 1 && beta === 0;
  const Mp = up(M, byChannels ? 16 : 2);
  const Lp = up(L, 2);
  const outImage = byChannels ? Lp * Mp : Mp * P;
  const bs = imagesPerDirectBlock(nb, xs + f.image + outImage + Math.max(ldi, M * L));
  const spanA = span(M, K, lda);
  const pA = e.dataStart;
  const pW = align16(pA + 4 * spanA);
  const pOff = align16(pW + (byChannels ? 4 : 16) * Mp * K);
  const pPos = align16(pOff + 4 * K);
  const pOut = align16(pPos + (byChannels ? 4 * Lp : 0));
  const pStage = align16(pOut + 4 * bs * outImage);
  const pX = align16(pStage + 4 * imageSpan(M, bs, L, ldc, ldi));
  let f32 = e.ensure(pX + imagesBytes(f, bs) - pA);
  const ex = e.ex as unknown as ConvDirectExports;
  f32.set(A.subarray(offA, offA + spanA), pA >> 2);
  if (byChannels) {
    if (Mp > M) f32.fill(0, pW >> 2, (pW >> 2) + K * Mp);
    ex.transpose(pA, M, K, lda, pW, Mp);
    const pos = new Int32Array(f32.buffer, pPos, Lp);
    for (let y = 0, l = 0; y < g.OH; y++) for (let c = 0; c < g.OW; c++) pos[l++] = 4 * (y * S + c);
    if (Lp > L) pos[L] = pos[L - 1]!;
  } else ex.packPairs(pA, M, K, lda, 1, pW, K);
  writeOffsets(e, pOff, Cg, g, Hp, S, K);
  for (let i0 = 0; i0 < nb; i0 += bs) {
    const n = Math.min(bs, nb - i0);
    placeImages(e, f, x, xOff + i0 * imageStride, imageStride, n, pX);
    if (byChannels) e.convDirectT(pX, xs, n, pW, pOff, K, Mp, pPos, Lp, pOut, outImage);
    else e.convDirect(pX, xs, n, pW, pOff, K, Mp, P, pOut, outImage, 0);
    f32 = e.ensure(0);
    const stage = stageImageRows(f32, C, offC + i0 * ldi, ldc, ldi, M, n, L, pStage, beta);
    for (let i = 0; i < n; i++) {
      const out = pOut + 4 * i * outImage;
      const dst = pStage + 4 * i * ldi;
      if (byChannels) ex.transpose(out, L, M, Mp, dst, ldc);
      else ex.copyPlanes(out, P, S, dst, ldc, g.OW, M, g.OH, g.OW, alpha, beta);
    }
    stage.end(f32);
  }
  return true;
}

/** The kernels' arguments once their arrays are known to be float32. */
type UnfoldF32 = F32<Parameters<SgemmUnfoldKernel>>;
type FoldF32 = F32<Parameters<SgemmFoldKernel>>;

/**
 * Weight gradient (C [M, K] = alpha·A·Uᵀ + beta·C with A = dy, its image rows ldi apart) as a direct
 * reduction, image after image, in one of two forms:
 * - flat (convDirectGradW): dy laid out on the flat positions with zeros where x ≥ OW, 2 rows × 4 taps
 *   per pass. Not taken when an image holds ±Inf or NaN: the wrapped positions multiply image values
 *   by a zero dy, which such a value would turn into a NaN the unfolded GEMM never sees (checked block
 *   by block; C is written only at the end);
 * - by channels (convDirectGradWT), for more than 8 rows whose flat rows drop over 10 % of positions
 *   (LeNet's second layer: 14 per 10): dy transposed to [positions, channels], rows padded to a
 *   multiple of 16 with zeros, only the kept positions visited (no wrapped reads, no check).
 */
export function directGradWeight(e: ConvEngine, ...args: Parameters<SgemmUnfoldKernel>): boolean {
  const [, M, alpha, A, offA, lda, x, xOff, imageStride, nb, Cg, g, beta, C, offC, ldc, ldi] =
    args as UnfoldF32;
  if (!directApplies(g, M) || M > 32) return false;
  const f = flatLayout(g, Cg);
  const { S, Hp, K, L, xs, image } = f;
  const P = up(g.OH * S, 16);
  const byChannels = M > 8 && P > 1.1 * L;
  // taps padded to the pass's width, rows to its height; floats of one image's dy as the kernel reads it
  const Kp = up(K, byChannels ? 2 : 4);
  const Mp = up(M, byChannels ? 16 : 2);
  const dyImage = byChannels ? Mp * L : Mp * P;
  const bs = imagesPerDirectBlock(nb, xs + image + dyImage + Math.max(ldi, M * L));
  const pOff = e.dataStart;
  const pDw = align16(pOff + 4 * Kp);
  const pC = align16(pDw + 4 * Mp * Kp);
  const pA = align16(pC + 4 * M * K);
  const pDy = align16(pA + 4 * imageSpan(M, bs, L, lda, ldi));
  const pX = align16(pDy + 4 * bs * dyImage);
  let f32 = e.ensure(pX + imagesBytes(f, bs) - pOff);
  const ex = e.ex as unknown as ConvDirectExports;
  writeOffsets(e, pOff, Cg, g, Hp, S, Kp);
  f32.fill(0, pDw >> 2, (pDw >> 2) + Mp * Kp);
  for (let i0 = 0; i0 < nb; i0 += bs) {
    const n = Math.min(bs, nb - i0);
    const raw = placeImages(e, f, x, xOff + i0 * imageStride, imageStride, n, pX);
    if (!byChannels) {
      if (raw === pX) {
        for (let i = 0; i < n; i++) if (!ex.allFinite(pX + 4 * i * xs, image)) return false;
      } else if (!ex.allFinite(raw, n * image)) return false;
    }
    const a = offA + i0 * ldi;
    f32.set(A.subarray(a, a + imageSpan(M, n, L, lda, ldi)), pA >> 2);
    if (!byChannels || Mp > M) f32.fill(0, pDy >> 2, (pDy >> 2) + n * dyImage);
    for (let i = 0; i < n; i++) {
      const dy = pDy + 4 * i * dyImage;
      if (byChannels) ex.transpose(pA + 4 * i * ldi, M, L, lda, dy, Mp);
      else ex.copyPlanes(pA + 4 * i * ldi, lda, g.OW, dy, P, S, M, g.OH, g.OW, 1, 0);
    }
    if (byChannels) e.convDirectGradWT(pX, xs, n, pDy, dyImage, pOff, Kp, Mp, g.OH, g.OW, S, pDw, Kp);
    else e.convDirectGradW(pX, xs, n, pDy, dyImage, pOff, Kp, Mp, P, pDw, Kp);
    f32 = e.ensure(0);
  }
  if (beta !== 0) copyCIn(f32, pC >> 2, C, offC, M, K, ldc);
  ex.copyPlanes(pDw, 0, Kp, pC, 0, K, 1, M, K, alpha, beta);
  copyCOut(f32, pC >> 2, C, offC, M, K, ldc);
  return true;
}

/**
 * Input gradient (dx += col2im(op(A)ᵀ·B), B = dy [K, nb·L], its image rows ldi apart) as the direct
 * convolution of dy, padded by the dilated kernel's extent less the forward padding, with the
 * flipped, transposed kernel. Rows of the padded dy are S = max(W + pw, OW + ekw − 1 − pw) apart:
 * the fewest positions for which every wrapped read of a kept output lands in a zero column (LeNet's
 * second layer: 14 instead of 18). Taps run in (ky, o, kx) order, so the taps of the kernel rows that
 * fall on dy's zero rows are one range per tile of positions, skipped (`ranges`).
 * Not taken when the forward padding exceeds the kernel's extent (dy would need cropping), when a
 * weight is ±Inf or NaN (0·Inf on the padding would give NaNs the GEMM never computes), nor where
 * more than 1.6 multiply-adds are left per one the GEMM does.
 */
export function directGradInput(e: ConvEngine, ...args: Parameters<SgemmFoldKernel>): boolean {
  const [transA, K, A, offA, lda, B, offB, ldb, ldi, dx, dxOff, imageStride, nb, Cg, g] = args as FoldF32;
  if (!directApplies(g, Cg)) return false;
  const { H, W, OH, OW, kh, kw, dh, dw } = g;
  const ekh = dh * (kh - 1) + 1;
  const ekw = dw * (kw - 1) + 1;
  const top = ekh - 1 - g.ph;
  const left = ekw - 1 - g.pw;
  const Hq = H + ekh - 1;
  const S = Math.max(W + g.pw, OW + left);
  if (top < 0 || left < 0 || top + OH > Hq) return false;
  const taps = kh * kw;
  const Kt = K * taps;
  const row = K * kw; // taps per kernel row
  const L = OH * OW;
  const Cp = up(Cg, 2);
  const P = up(H * S, 16);
  // per tile of 16 positions (rows y0..y1 of dx), the kernel rows ky whose dy row y + ky·dh is inside
  // [top, top + OH) for one of them
  const ranges = new Int32Array(2 * (P >> 4));
  let macs = 0;
  for (let t = 0; t < P >> 4; t++) {
    const y0 = Math.floor((16 * t) / S);
    const y1 = Math.min(H - 1, Math.floor((16 * t + 15) / S));
    const lo = Math.max(0, Math.ceil((top - y1) / dh));
    const hi = Math.min(kh - 1, Math.floor((top + OH - 1 - y0) / dh));
    if (y0 < H && lo <= hi) {
      ranges[2 * t] = lo * row;
      ranges[2 * t + 1] = (hi + 1) * row;
      macs += 16 * (hi + 1 - lo) * row;
    }
  }
  // The GEMM's depth here is dy's channel count K: few channels (LeNet's: 6, 16) leave it mostly
  // packing; with more it wins (CIFAR's 3×3 layers with dy of 32–128 channels ran 1.0–1.3× slower direct).
  if (K > 16 || macs > 1.6 * L * Kt) return false;
  const CKK = Cg * taps;
  const spanA = transA ? span(K, CKK, lda) : span(CKK, K, lda);
  const ys = up(K * Hq * S, 4);
  const image = Cg * H * W;
  const bs = imagesPerDirectBlock(nb, ys + Cp * P + image + Math.max(ldi, K * L));
  const pA = e.dataStart;
  const pW = align16(pA + 4 * spanA);
  const pOff = align16(pW + 16 * Cp * Kt);
  const pR = align16(pOff + 4 * Kt);
  const pB = align16(pR + 4 * ranges.length);
  const pY = align16(pB + 4 * imageSpan(K, bs, L, ldb, ldi));
  const pOut = align16(pY + 4 * (bs * ys + slack(ekw)));
  const pX = align16(pOut + 4 * bs * Cp * P);
  let f32 = e.ensure(pX + 4 * bs * image - pA);
  const ex = e.ex as unknown as ConvDirectExports;
  f32.set(A.subarray(offA, offA + spanA), pA >> 2);
  if (!ex.allFinite(pA, spanA)) return false;
  // W'(c, (ky·K + o)·kw + kx) = w(o, c, kh − 1 − ky, kw − 1 − kx): per (ky, o), a Cg × kw block
  // read backwards along the kernel row.
  const tail = kw - 1;
  for (let ky = 0; ky < kh; ky++) {
    const r = (kh - 1 - ky) * kw;
    for (let o = 0; o < K; o++) {
      const dst = pW + 32 * (ky * row + o * kw);
      if (transA) ex.packPairs(pA + 4 * (o * lda + r + tail), Cg, kw, taps, -1, dst, Kt);
      else ex.packPairs(pA + 4 * ((r + tail) * lda + o), Cg, kw, taps * lda, -lda, dst, Kt);
    }
  }
  const off = new Int32Array(f32.buffer, pOff, Kt);
  for (let ky = 0, k = 0; ky < kh; ky++)
    for (let o = 0; o < K; o++)
      for (let kx = 0; kx < kw; kx++) off[k++] = 4 * (o * Hq * S + ky * dh * S + kx * dw);
  new Int32Array(f32.buffer, pR, ranges.length).set(ranges);
  for (let i0 = 0; i0 < nb; i0 += bs) {
    const n = Math.min(bs, nb - i0);
    const b = offB + i0 * ldi;
    f32.set(B.subarray(b, b + imageSpan(K, n, L, ldb, ldi)), pB >> 2);
    f32.fill(0, pY >> 2, (pY >> 2) + n * ys + slack(ekw));
    for (let i = 0; i < n; i++)
      ex.copyPlanes(
        pB + 4 * i * ldi,
        ldb,
        OW,
        pY + 4 * (i * ys + top * S + left),
        Hq * S,
        S,
        K,
        OH,
        OW,
        1,
        0,
      );
    e.convDirect(pY, ys, n, pW, pOff, Kt, Cp, P, pOut, Cp * P, pR);
    f32 = e.ensure(0);
    for (let i = 0; i < n; i++) {
      const at = dxOff + (i0 + i) * imageStride;
      f32.set(dx.subarray(at, at + image), (pX >> 2) + i * image);
      ex.copyPlanes(pOut + 4 * i * Cp * P, P, S, pX + 4 * i * image, H * W, W, Cg, H, W, 1, 1);
      dx.set(f32.subarray((pX >> 2) + i * image, (pX >> 2) + (i + 1) * image), at);
    }
  }
  return true;
}
