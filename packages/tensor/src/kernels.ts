// Raw compute kernels on typed arrays, behind a registry so a faster implementation
// (WebAssembly SIMD, worker threads) can replace one without touching the ops that call it.
// Every kernel here is the plain-TypeScript reference; `setKernel` swaps one in place.
import { fail } from './errors.js';

export type FloatArray = Float32Array | Float64Array;

/**
 * C = alpha·op(A)·op(B) + beta·C with op(X) = X or Xᵀ (BLAS semantics, row-major).
 * op(A) is M×K, op(B) is K×N, C is M×N; lda/ldb/ldc are row strides of the stored arrays.
 * Offsets locate each matrix inside its array. beta = 0 overwrites C (NaNs in C are not propagated).
 */
export type SgemmKernel = (
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: FloatArray,
  lda: number,
  B: FloatArray,
  ldb: number,
  beta: number,
  C: FloatArray,
  ldc: number,
  offA?: number,
  offB?: number,
  offC?: number,
) => void;

/** Geometry of one 2-d sliding window op (conv/pool) on an [planes, H, W] block. */
export interface Window2d {
  H: number;
  W: number;
  OH: number;
  OW: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  /** padding before rows / columns (after-padding only changes OH/OW, already given). */
  ph: number;
  pw: number;
  dh: number;
  dw: number;
}

/**
 * Unfolds `C` channels of an image at x[xOff..] into col [C·kh·kw, OH·OW] (row-major, zeros
 * where the window falls in padding). `colOff`/`ldcol` place that block inside a wider matrix
 * (row stride ldcol ≥ OH·OW), so several images can be unfolded side by side for one GEMM.
 */
export type Im2colKernel = (
  x: FloatArray,
  xOff: number,
  C: number,
  g: Window2d,
  col: FloatArray,
  colOff?: number,
  ldcol?: number,
) => void;
/** Adjoint of im2col: adds col [C·kh·kw, OH·OW] (at colOff, row stride ldcol) back into dx[dxOff..] ([C, H, W]). */
export type Col2imKernel = (
  col: FloatArray,
  C: number,
  g: Window2d,
  dx: FloatArray,
  dxOff: number,
  colOff?: number,
  ldcol?: number,
) => void;
/**
 * Softmax over the middle dim of a contiguous [outer, n, inner] block; `log` gives logSoftmax.
 * src and dst may be different typed arrays; both start at 0.
 */
export type SoftmaxKernel = (
  src: FloatArray,
  dst: FloatArray,
  outer: number,
  n: number,
  inner: number,
  log: boolean,
) => void;
/**
 * Max pooling over `planes` [H, W] planes into out [planes, OH, OW]; `argmax` (optional) gets the
 * flat h·W+w index of each max inside its plane (-1 if a window saw only padding).
 */
export type MaxPool2dKernel = (
  x: FloatArray,
  planes: number,
  g: Window2d,
  out: FloatArray,
  argmax: Int32Array | null,
) => void;

/**
 * Max pooling's backward over `planes` planes of HW inputs and n outputs each: dx (zeroed by the
 * caller) gets dy[p·n + i] added at argmax[p·n + i] of plane p, outputs in order (−1: none). Returns
 * the first output index whose argmax is HW or more, or −1.
 */
export type MaxPool2dGradKernel = (
  dy: FloatArray,
  argmax: Int32Array,
  planes: number,
  n: number,
  HW: number,
  dx: FloatArray,
) => number;

/**
 * Average pooling. `divisor(oh, ow)` semantics are fixed by the flags: countIncludePad counts
 * padded cells up to the padded extent (padBottom/padRight), else only real cells.
 */
export type AvgPool2dKernel = (
  x: FloatArray,
  planes: number,
  g: Window2d,
  padBottom: number,
  padRight: number,
  countIncludePad: boolean,
  out: FloatArray,
) => void;
/** Adjoint of avgPool2d: spreads dy [planes, OH, OW] over dx [planes, H, W] (accumulates). */
export type AvgPool2dGradKernel = (
  dy: FloatArray,
  planes: number,
  g: Window2d,
  padBottom: number,
  padRight: number,
  countIncludePad: boolean,
  dx: FloatArray,
) => void;

/** Scalars of one Adam step, each already rounded to float32 (see AdamKernel). */
export interface AdamScalars {
  b1: number;
  b2: number;
  oneMinusB1: number;
  oneMinusB2: number;
  /** −lr / (1 − β₁ᵗ) */
  negStepSize: number;
  /** √(1 − β₂ᵗ) */
  bc2Sqrt: number;
  eps: number;
}

/**
 * One Adam update of float32 arrays in place, exactly as torch 1.13's single-tensor Adam on CPU:
 * m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; w += negStepSize · m / (√v / bc2Sqrt + eps).
 */
export type AdamKernel = (
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  s: AdamScalars,
) => void;

/** Scalars of one SGD step, each already rounded to float32 (see SgdKernel). */
export interface SgdScalars {
  weightDecay: number;
  momentum: number;
  /** 1 − dampening */
  oneMinusDampening: number;
  /** −lr */
  negLr: number;
  nesterov: boolean;
  /** The momentum buffer's first step: it is set to the gradient, not updated. */
  first: boolean;
}

/**
 * One SGD update of float32 arrays in place, exactly as torch 1.13's single-tensor SGD on CPU:
 * g += wd·w; buf = g on the first step, else buf = μ·buf + (1−τ)·g; g = nesterov ? g + μ·buf : buf;
 * w −= lr·g. `buf` null: no momentum.
 */
export type SgdKernel = (w: Float32Array, g: Float32Array, buf: Float32Array | null, s: SgdScalars) => void;

/**
 * Zeroed float32 Adam moments m and v for a parameter of n elements. The reference gives two plain
 * arrays; a fast version may place them where its Adam kernel reads them without copying.
 */
export type AdamMomentsKernel = (n: number) => { m: Float32Array; v: Float32Array };

/**
 * The conv GEMMs over an unfolded block of images: C = alpha·A·U + beta·C (transU false; A [M, CKK],
 * C [M, nb·L]) or C = alpha·A·Uᵀ + beta·C (transU true; A [M, nb·L], C [M, CKK]), where U [CKK, nb·L]
 * is the im2col of nb images side by side (image i's Cg channels start at x[xOff + i·imageStride];
 * CKK = Cg·kh·kw, L = OH·OW). The [M, nb·L] operand (C, or A when transU) has its images `ldi` apart:
 * row r's image i at offset + r·ld + i·ldi (ldi = L: plain rows; in a batch tensor [N, O, L], ld = L
 * and ldi = O·L). Exactly im2col into a scratch matrix, then sgemm, per block of imagesPerBlock
 * images (the weight gradient summed over the blocks in order); a fast version can unfold where its
 * GEMM reads, with no copy of U through JavaScript memory, or convolve directly.
 */
export type SgemmUnfoldKernel = (
  transU: boolean,
  M: number,
  alpha: number,
  A: FloatArray,
  offA: number,
  lda: number,
  x: FloatArray,
  xOff: number,
  imageStride: number,
  nb: number,
  Cg: number,
  g: Window2d,
  beta: number,
  C: FloatArray,
  offC: number,
  ldc: number,
  ldi: number,
) => void;

/**
 * The conv input-gradient GEMM and its fold: P = op(A)·B ([CKK, nb·L]; op(A) = A or Aᵀ is [CKK, K],
 * B [K, nb·L] at row stride ldb, its images ldi apart as in SgemmUnfoldKernel), then col2im of P's
 * image i columns added into dx (image i's Cg channels at dx[dxOff + i·imageStride]). Exactly sgemm
 * into a scratch matrix, then col2im per image, per block of imagesPerBlock images.
 */
export type SgemmFoldKernel = (
  transA: boolean,
  K: number,
  A: FloatArray,
  offA: number,
  lda: number,
  B: FloatArray,
  offB: number,
  ldb: number,
  ldi: number,
  dx: FloatArray,
  dxOff: number,
  imageStride: number,
  nb: number,
  Cg: number,
  g: Window2d,
) => void;

/** out[outOff + i] = f(x[xOff + i]) for i < n, float32 in and out (out may alias x). */
export type Float32MapKernel = (
  x: Float32Array,
  xOff: number,
  out: Float32Array,
  outOff: number,
  n: number,
) => void;

/** The four float32 arithmetic ops the elementwise kernels run. */
export type ArithOp = 'add' | 'sub' | 'mul' | 'div';

/**
 * out[i] = A(i) op B(i) for i < n, float32, out written from index 0. An operand of period n reads
 * x[xOff + i]; one of period p < n (n a multiple of p) is a row of p values repeated along out:
 * x[xOff + i mod p] (a bias row; p = 1 a one-element tensor). At least one period is n. out may be
 * a full operand (same offset), not a row.
 */
export type BinaryF32Kernel = (
  op: ArithOp,
  a: Float32Array,
  aOff: number,
  aPeriod: number,
  b: Float32Array,
  bOff: number,
  bPeriod: number,
  out: Float32Array,
  n: number,
) => void;

/**
 * out[i] = fround(x[xOff + i] op s), or fround(s op x[xOff + i]) when scalarLeft, for i < n: the
 * scalar is a double, as in JavaScript (`mul(x, 0.1)` multiplies by 0.1, not by fround(0.1)).
 */
export type ScalarF32Kernel = (
  op: ArithOp,
  x: Float32Array,
  xOff: number,
  s: number,
  scalarLeft: boolean,
  out: Float32Array,
  n: number,
) => void;

/** out[i] = dy[dyOff + i] · (x[xOff + i] > 0 ? 1 : 0) for i < n, float32 (relu's gradient). */
export type ReluGradKernel = (
  dy: Float32Array,
  dyOff: number,
  x: Float32Array,
  xOff: number,
  out: Float32Array,
  n: number,
) => void;

/**
 * acc[j] += Σ_r x[xOff + r·cols + j] over r = 0..rows−1, each sum in double and in row order: the
 * float32 column sums of a reduction over a leading axis (a Linear bias gradient).
 */
export type ColSumsF32Kernel = (
  x: Float32Array,
  xOff: number,
  rows: number,
  cols: number,
  acc: Float64Array,
) => void;

/**
 * Batch-norm statistics of x [n, c, s] (contiguous, from element 0): per channel the mean and the
 * biased variance over its n·s values, in double, summed in storage order (two passes: the mean,
 * then squared deviations from it).
 */
export type BatchNormMomentsKernel = (
  x: FloatArray,
  n: number,
  c: number,
  s: number,
  mean: Float64Array,
  biasedVar: Float64Array,
) => void;

/**
 * Per-channel sums of x [n, c, s] (contiguous from element 0) over its n·s values, in double and in
 * storage order: sum over axes [0, 2, …] of an [N, C, …] tensor (a conv bias gradient).
 */
export type ChannelSumsKernel = (x: FloatArray, n: number, c: number, s: number, out: Float64Array) => void;

/** Batch-norm output: out = x·scale[ch] + shift[ch] in double, rounded to out's dtype once. */
export type BatchNormApplyKernel = (
  x: FloatArray,
  n: number,
  c: number,
  s: number,
  scale: Float64Array,
  shift: Float64Array,
  out: FloatArray,
) => void;

/**
 * Batch-norm backward over [n, c, s]: per channel sums[ch] = Σdy·x̂ and sums[c + ch] = Σdy
 * (x̂ = (x − mean)·invStd; in double, storage order); in training dx = dy·a + x·k + c0 with
 * a = w·invStd, k = −a·invStd·Σdy·x̂/M, c0 = a·(mean·invStd·Σdy·x̂/M − Σdy/M) (M = n·s), in eval
 * (the statistics constants) dx = dy·a. weight null: ones.
 */
export type BatchNormGradKernel = (
  dy: FloatArray,
  x: FloatArray,
  n: number,
  c: number,
  s: number,
  mean: ArrayLike<number>,
  invStd: ArrayLike<number>,
  weight: ArrayLike<number> | null,
  dx: FloatArray,
  sums: Float64Array,
  training: boolean,
) => void;

/**
 * The elementwise part of one float32 LSTM step over n rows: z = xp + hp ([n, 4h], gate blocks
 * i | f | g | o), i, f, o = σ(z), g = tanh(z), c' = f·c + i·g, h' = o·tanh(c'), each intermediate
 * rounded to float32 as the composed float32 ops round it, σ and tanh being the installed sigmoid/tanh
 * kernels' results. Writes gates [n, 4h] (i, f, g, o), tanhC [n, h] = tanh(c') and out [n, 2h] = h' | c'.
 * With hb ([4h]), hp's rows are hp + hb first (rounded, as adding the bias as an op would).
 */
export type LstmCellKernel = (
  xp: Float32Array,
  hp: Float32Array,
  c: Float32Array,
  n: number,
  h: number,
  gates: Float32Array,
  tanhC: Float32Array,
  out: Float32Array,
  hb?: Float32Array,
) => void;

/**
 * The elementwise part of one float32 GRU step over n rows: from xp, hp [n, 3h] (blocks r | z | n) and
 * hd [n, h]: r, z = σ(xp + hp), n = tanh(xp_n + r·hp_n), h' = n + z·(hd − n), each intermediate rounded
 * to float32 as the composed float32 ops round it (σ, tanh: the installed kernels). Writes gates
 * [n, 3h] (r, z, n) and out [n, h] = h'.
 */
export type GruCellKernel = (
  xp: Float32Array,
  hp: Float32Array,
  hd: Float32Array,
  n: number,
  h: number,
  gates: Float32Array,
  out: Float32Array,
) => void;

/**
 * The backward of one LSTM step over n rows, in double (each result rounded once, to the arrays'
 * type): from the saved activated gates [n, 4h] (i, f, g, o), tanhC [n, h] = tanh(c'), the step's
 * input cell state c [n, h] and the gradients of h' and c' (rows `ld` apart, from dhOff and dcOff),
 * writes the gradient of the gate pre-activations into dz [n, 4h] and of c into dc [n, h].
 */
export type LstmCellGradKernel = (
  gates: FloatArray,
  tanhC: FloatArray,
  c: FloatArray,
  dH: FloatArray,
  dhOff: number,
  dC: FloatArray,
  dcOff: number,
  ld: number,
  n: number,
  h: number,
  dz: FloatArray,
  dc: FloatArray,
) => void;

/**
 * The backward of one GRU step over n rows, in double (each result rounded once): from the saved
 * gates [n, 3h] (r, z, n), the hidden projection hp [n, 3h], the step's input state hd [n, h] and h''s
 * gradient d [n, h], writes the gradients of xp [n, 3h], hp [n, 3h] and, directly through z, of hd [n, h].
 */
export type GruCellGradKernel = (
  gates: FloatArray,
  hp: FloatArray,
  hd: FloatArray,
  d: FloatArray,
  n: number,
  h: number,
  dx: FloatArray,
  dhp: FloatArray,
  dh: FloatArray,
) => void;

export interface Kernels {
  sgemm: SgemmKernel;
  im2col: Im2colKernel;
  col2im: Col2imKernel;
  softmax: SoftmaxKernel;
  maxPool2d: MaxPool2dKernel;
  /** Max pooling's backward scatter (maxPool2dGrad). */
  maxPool2dGrad: MaxPool2dGradKernel;
  avgPool2d: AvgPool2dKernel;
  avgPool2dGrad: AvgPool2dGradKernel;
  adam: AdamKernel;
  adamMoments: AdamMomentsKernel;
  /** The float32 SGD update (sgdStep). */
  sgd: SgdKernel;
  /** float32 logistic function (the float32 path of `sigmoid`). */
  sigmoid: Float32MapKernel;
  /** float32 tanh (the float32 path of `tanh`). */
  tanh: Float32MapKernel;
  sgemmUnfold: SgemmUnfoldKernel;
  sgemmFold: SgemmFoldKernel;
  /** float32 +, −, ×, ÷ of two operands, one possibly a repeated row (add/sub/mul/div's float32 path). */
  binaryF32: BinaryF32Kernel;
  /** float32 ⊕ a double scalar (the float32 path of add/sub/mul/div with a number). */
  scalarF32: ScalarF32Kernel;
  /** float32 relu (NaN kept, −0 → +0). */
  relu: Float32MapKernel;
  /** float32 gradient of relu. */
  reluGrad: ReluGradKernel;
  /** float32 column sums in double (sum/mean over leading axes of a float32 tensor). */
  colSumsF32: ColSumsF32Kernel;
  /** Sums over all but axis 1 of [N, C, …] (sum over [0, 2, …]: a conv bias gradient). */
  channelSums: ChannelSumsKernel;
  /** Batch-norm statistics (batchNormForward in training, batchNormStats). */
  batchNormMoments: BatchNormMomentsKernel;
  /** Batch-norm's per-channel affine map (batchNormForward's output). */
  batchNormApply: BatchNormApplyKernel;
  /** Batch-norm backward, training or eval mode (batchNormBackward). */
  batchNormGrad: BatchNormGradKernel;
  /** float32 LSTM step, elementwise part (the fused lstmCell op's forward). */
  lstmCell: LstmCellKernel;
  /** float32 GRU step, elementwise part (the fused gruCell op's forward). */
  gruCell: GruCellKernel;
  /** LSTM step backward (the fused lstmCell op's and lstmSequence's). */
  lstmCellGrad: LstmCellGradKernel;
  /** GRU step backward (the fused gruCell op's and gruSequence's). */
  gruCellGrad: GruCellGradKernel;
}

// ---------------------------------------------------------------------------------------------
// sgemm: GotoBLAS-style blocking. op(B) is packed per KC×NC block into 4-column panels and op(A)
// per MC×KC block into 4-row panels (both float64, so the hot loop is monomorphic whatever the
// input dtype and accumulates in double); a 4×4 register-blocked micro-kernel then runs over the
// panels. Packing also makes transposed/strided inputs free: the micro-kernel reads contiguously.

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 1024;

let packA = new Float64Array(MC * KC);
let packB = new Float64Array(KC * NC);

function ensurePack(a: number, b: number): void {
  if (packA.length < a) packA = new Float64Array(a);
  if (packB.length < b) packB = new Float64Array(b);
}

/**
 * Packs a rows×cols block of a matrix into panels of W columns: P[(p·rows + r)·W + c] holds
 * element (r, p·W + c), zero-padded past `cols`. Element (r, c) is X[off + r·rs + c·cs].
 * With cs = 1 each row is read contiguously (the common, cache-friendly case).
 */
function packPanels(
  X: FloatArray,
  off: number,
  rs: number,
  cs: number,
  rows: number,
  cols: number,
  W: number,
  P: Float64Array,
): void {
  const step = rows * W;
  const full = cols - (cols % W);
  for (let r = 0; r < rows; r++) {
    const src = off + r * rs;
    let dst = r * W;
    let c = 0;
    if (cs === 1) {
      for (; c < full; c += W, dst += step) for (let q = 0; q < W; q++) P[dst + q] = X[src + c + q]!;
    } else {
      for (; c < full; c += W, dst += step) for (let q = 0; q < W; q++) P[dst + q] = X[src + (c + q) * cs]!;
    }
    if (c < cols) for (let q = 0; q < W; q++) P[dst + q] = c + q < cols ? X[src + (c + q) * cs]! : 0;
  }
}

/** op(A)[i0.., k0..] (mc×kc) → row panels of MR: Ap[(p·kc + k)·MR + r]. */
function packPanelsA(
  A: FloatArray,
  offA: number,
  lda: number,
  transA: boolean,
  i0: number,
  mc: number,
  k0: number,
  kc: number,
  Ap: Float64Array,
): void {
  // Panels of op(A) along i are panels of op(A)ᵀ along its columns: iterate k as the row.
  if (transA) packPanels(A, offA + k0 * lda + i0, lda, 1, kc, mc, MR, Ap);
  else packPanels(A, offA + i0 * lda + k0, 1, lda, kc, mc, MR, Ap);
}

/** op(B)[k0.., j0..] (kc×nc) → column panels of NR: Bp[(p·kc + k)·NR + c]. */
function packPanelsB(
  B: FloatArray,
  offB: number,
  ldb: number,
  transB: boolean,
  k0: number,
  kc: number,
  j0: number,
  nc: number,
  Bp: Float64Array,
): void {
  if (transB) packPanels(B, offB + j0 * ldb + k0, 1, ldb, kc, nc, NR, Bp);
  else packPanels(B, offB + k0 * ldb + j0, ldb, 1, kc, nc, NR, Bp);
}

/** C[i0.., j0..] += alpha · Ap·Bp over one packed MC×KC by KC×NC block. */
// biome-ignore format: the 4×4 register block reads best as a grid
function macroKernel(
  mc: number, nc: number, kc: number, alpha: number,
  Ap: Float64Array, Bp: Float64Array, C: FloatArray, offC: number, ldc: number,
): void {
  const mp = Math.ceil(mc / MR);
  const np = Math.ceil(nc / NR);
  for (let jp = 0; jp < np; jp++) {
    const pb0 = jp * kc * NR;
    const j = jp * NR;
    const cols = Math.min(NR, nc - j);
    for (let ip = 0; ip < mp; ip++) {
      let pa = ip * kc * MR;
      let pb = pb0;
      // 16 scalar accumulators stay in registers; each k step does 8 loads for 32 flops.
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let k = 0; k < kc; k++, pa += MR, pb += NR) {
        const a0 = Ap[pa]!, a1 = Ap[pa + 1]!, a2 = Ap[pa + 2]!, a3 = Ap[pa + 3]!;
        const b0 = Bp[pb]!, b1 = Bp[pb + 1]!, b2 = Bp[pb + 2]!, b3 = Bp[pb + 3]!;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      const i = ip * MR;
      const rows = Math.min(MR, mc - i);
      let o = offC + i * ldc + j;
      if (rows === MR && cols === NR) {
        C[o] = C[o]! + alpha * c00; C[o + 1] = C[o + 1]! + alpha * c01;
        C[o + 2] = C[o + 2]! + alpha * c02; C[o + 3] = C[o + 3]! + alpha * c03;
        o += ldc;
        C[o] = C[o]! + alpha * c10; C[o + 1] = C[o + 1]! + alpha * c11;
        C[o + 2] = C[o + 2]! + alpha * c12; C[o + 3] = C[o + 3]! + alpha * c13;
        o += ldc;
        C[o] = C[o]! + alpha * c20; C[o + 1] = C[o + 1]! + alpha * c21;
        C[o + 2] = C[o + 2]! + alpha * c22; C[o + 3] = C[o + 3]! + alpha * c23;
        o += ldc;
        C[o] = C[o]! + alpha * c30; C[o + 1] = C[o + 1]! + alpha * c31;
        C[o + 2] = C[o + 2]! + alpha * c32; C[o + 3] = C[o + 3]! + alpha * c33;
      } else {
        const acc = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
        for (let r = 0; r < rows; r++, o += ldc) {
          for (let c = 0; c < cols; c++) C[o + c] = C[o + c]! + alpha * acc[r * 4 + c]!;
        }
      }
    }
  }
}

const sgemm: SgemmKernel = (
  transA,
  transB,
  M,
  N,
  K,
  alpha,
  A,
  lda,
  B,
  ldb,
  beta,
  C,
  ldc,
  offA = 0,
  offB = 0,
  offC = 0,
) => {
  if (M <= 0 || N <= 0) return;
  if (beta !== 1) {
    for (let i = 0; i < M; i++) {
      const r = offC + i * ldc;
      if (beta === 0) C.fill(0, r, r + N);
      else for (let j = 0; j < N; j++) C[r + j] = C[r + j]! * beta;
    }
  }
  if (K <= 0 || alpha === 0) return;
  ensurePack(MC * KC, KC * Math.min(NC, N + NR));
  const Ap = packA;
  const Bp = packB;
  for (let j0 = 0; j0 < N; j0 += NC) {
    const nc = Math.min(NC, N - j0);
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kc = Math.min(KC, K - k0);
      packPanelsB(B, offB, ldb, transB, k0, kc, j0, nc, Bp);
      for (let i0 = 0; i0 < M; i0 += MC) {
        const mc = Math.min(MC, M - i0);
        packPanelsA(A, offA, lda, transA, i0, mc, k0, kc, Ap);
        macroKernel(mc, nc, kc, alpha, Ap, Bp, C, offC + i0 * ldc + j0, ldc);
      }
    }
  }
};

// ---------------------------------------------------------------------------------------------
// im2col / col2im

/** First ow whose column w = ow·sw + w0 is ≥ 0, and the end of those with w < W (clamped to [0, OW]). */
function validCols(w0: number, sw: number, W: number, OW: number): [number, number] {
  const lo = w0 >= 0 ? 0 : Math.min(OW, Math.ceil(-w0 / sw));
  const hi = W - w0 <= 0 ? lo : Math.max(lo, Math.min(OW, Math.ceil((W - w0) / sw)));
  return [lo, hi];
}

// Both walk each (channel, ki, kj, oh) row segment with the in-bounds ow range computed once, so the
// inner loop has no bounds tests (a straight copy when sw = 1).
const im2col: Im2colKernel = (x, xOff, C, g, col, colOff = 0, ldcol = g.OH * g.OW) => {
  const { H, W, OH, OW, kh, kw, sh, sw, ph, pw, dh, dw } = g;
  let row = 0;
  for (let c = 0; c < C; c++) {
    const plane = xOff + c * H * W;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, row++) {
        const w0 = kj * dw - pw;
        const [lo, hi] = validCols(w0, sw, W, OW);
        let o = colOff + row * ldcol;
        for (let oh = 0; oh < OH; oh++, o += OW) {
          const h = oh * sh - ph + ki * dh;
          if (h < 0 || h >= H) {
            col.fill(0, o, o + OW);
            continue;
          }
          if (lo > 0) col.fill(0, o, o + lo);
          let src = plane + h * W + w0 + lo * sw;
          if (sw === 1) for (let ow = lo; ow < hi; ow++) col[o + ow] = x[src++]!;
          else for (let ow = lo; ow < hi; ow++, src += sw) col[o + ow] = x[src]!;
          if (hi < OW) col.fill(0, o + hi, o + OW);
        }
      }
    }
  }
};

const col2im: Col2imKernel = (col, C, g, dx, dxOff, colOff = 0, ldcol = g.OH * g.OW) => {
  const { H, W, OH, OW, kh, kw, sh, sw, ph, pw, dh, dw } = g;
  let row = 0;
  for (let c = 0; c < C; c++) {
    const plane = dxOff + c * H * W;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, row++) {
        const w0 = kj * dw - pw;
        const [lo, hi] = validCols(w0, sw, W, OW);
        let o = colOff + row * ldcol;
        for (let oh = 0; oh < OH; oh++, o += OW) {
          const h = oh * sh - ph + ki * dh;
          if (h < 0 || h >= H) continue;
          let dst = plane + h * W + w0 + lo * sw;
          for (let ow = lo; ow < hi; ow++, dst += sw) dx[dst] = dx[dst]! + col[o + ow]!;
        }
      }
    }
  }
};

// ---------------------------------------------------------------------------------------------
// softmax: subtract the max so exp never overflows; logSoftmax = x - max - log(Σ exp(x - max)).

const softmax: SoftmaxKernel = (src, dst, outer, n, inner, log) => {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let m = -Infinity;
      for (let k = 0, p = base; k < n; k++, p += inner) {
        const v = src[p]!;
        if (v > m || Number.isNaN(v)) m = v;
      }
      // All -inf: PyTorch yields NaN; keep that (m - m = NaN) rather than inventing a value.
      let s = 0;
      for (let k = 0, p = base; k < n; k++, p += inner) s += Math.exp(src[p]! - m);
      if (log) {
        const lse = m + Math.log(s);
        for (let k = 0, p = base; k < n; k++, p += inner) dst[p] = src[p]! - lse;
      } else {
        for (let k = 0, p = base; k < n; k++, p += inner) dst[p] = Math.exp(src[p]! - m) / s;
      }
    }
  }
};

// ---------------------------------------------------------------------------------------------
// pooling

const maxPool2d: MaxPool2dKernel = (x, planes, g, out, argmax) => {
  const { H, W, OH, OW, kh, kw, sh, sw, ph, pw, dh, dw } = g;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * sh - ph;
      for (let ow = 0; ow < OW; ow++, o++) {
        const w0 = ow * sw - pw;
        let m = -Infinity;
        let am = -1;
        for (let ki = 0; ki < kh; ki++) {
          const h = h0 + ki * dh;
          if (h < 0 || h >= H) continue;
          for (let kj = 0; kj < kw; kj++) {
            const w = w0 + kj * dw;
            if (w < 0 || w >= W) continue;
            const v = x[base + h * W + w]!;
            // Strict > keeps the first max on ties; every NaN takes over, so the last NaN wins
            // (both as PyTorch's CPU kernel does).
            if (am < 0 || v > m || Number.isNaN(v)) {
              m = v;
              am = h * W + w;
            }
          }
        }
        out[o] = m;
        if (argmax) argmax[o] = am;
      }
    }
  }
};

/** Number of cells averaged for a window starting at (h0, w0); see AvgPool2dKernel. */
function avgDivisor(
  h0: number,
  w0: number,
  g: Window2d,
  padBottom: number,
  padRight: number,
  countIncludePad: boolean,
): number {
  const { H, W, kh, kw } = g;
  if (countIncludePad) {
    const hs = Math.min(h0 + kh, H + padBottom) - h0;
    const ws = Math.min(w0 + kw, W + padRight) - w0;
    return hs * ws;
  }
  const hs = Math.min(h0 + kh, H) - Math.max(h0, 0);
  const ws = Math.min(w0 + kw, W) - Math.max(w0, 0);
  return hs * ws;
}

const avgPool2d: AvgPool2dKernel = (x, planes, g, padBottom, padRight, countIncludePad, out) => {
  const { H, W, OH, OW, kh, kw, sh, sw, ph, pw } = g;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * sh - ph;
      const hs = Math.max(h0, 0);
      const he = Math.min(h0 + kh, H);
      for (let ow = 0; ow < OW; ow++, o++) {
        const w0 = ow * sw - pw;
        const ws = Math.max(w0, 0);
        const we = Math.min(w0 + kw, W);
        let s = 0;
        for (let h = hs; h < he; h++) for (let w = ws; w < we; w++) s += x[base + h * W + w]!;
        out[o] = s / avgDivisor(h0, w0, g, padBottom, padRight, countIncludePad);
      }
    }
  }
};

const avgPool2dGrad: AvgPool2dGradKernel = (dy, planes, g, padBottom, padRight, countIncludePad, dx) => {
  const { H, W, OH, OW, kh, kw, sh, sw, ph, pw } = g;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * sh - ph;
      const hs = Math.max(h0, 0);
      const he = Math.min(h0 + kh, H);
      for (let ow = 0; ow < OW; ow++, o++) {
        const w0 = ow * sw - pw;
        const ws = Math.max(w0, 0);
        const we = Math.min(w0 + kw, W);
        const v = dy[o]! / avgDivisor(h0, w0, g, padBottom, padRight, countIncludePad);
        for (let h = hs; h < he; h++)
          for (let w = ws; w < we; w++) dx[base + h * W + w] = dx[base + h * W + w]! + v;
      }
    }
  }
};

/** The plain-TypeScript kernels (the reference every faster kernel is tested against). */
// adam: the rounding of each step spelled out with Math.fround (torch computes m's add_ with
// alpha as one double expression, then rounds; the other steps round after every operation).
const adam: AdamKernel = (w, g, m, v, s) => {
  const fr = Math.fround;
  const { b1, b2, oneMinusB1, oneMinusB2, negStepSize, bc2Sqrt, eps } = s;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const mi = fr(fr(m[i]! * b1) + oneMinusB1 * gi);
    m[i] = mi;
    const vi = fr(fr(v[i]! * b2) + fr(fr(oneMinusB2 * gi) * gi));
    v[i] = vi;
    const denom = fr(fr(fr(Math.sqrt(vi)) / bc2Sqrt) + eps);
    w[i] = fr(w[i]! + fr(fr(negStepSize * mi) / denom));
  }
};

// sgd: each step's rounding spelled out with Math.fround, as the optimizer's float32 loop had it.
const sgd: SgdKernel = (w, g, buf, s) => {
  const fr = Math.fround;
  const { weightDecay: wd, momentum: mom, oneMinusDampening: omd, negLr, nesterov, first } = s;
  for (let i = 0; i < w.length; i++) {
    let d = g[i]!;
    if (wd !== 0) d = fr(d + wd * w[i]!);
    if (buf) {
      buf[i] = first ? d : fr(fr(buf[i]! * mom) + omd * d);
      d = nesterov ? fr(d + mom * buf[i]!) : buf[i]!;
    }
    w[i] = fr(w[i]! + negLr * d);
  }
};

// sigmoid/tanh: evaluated in double and rounded once to float32. The stable logistic form: e^-|v|
// never overflows.
const sigmoid: Float32MapKernel = (x, xOff, out, outOff, n) => {
  for (let i = 0; i < n; i++) {
    const v = x[xOff + i]!;
    const e = Math.exp(-Math.abs(v));
    out[outOff + i] = (v >= 0 ? 1 : e) / (1 + e);
  }
};
const tanh: Float32MapKernel = (x, xOff, out, outOff, n) => {
  for (let i = 0; i < n; i++) out[outOff + i] = Math.tanh(x[xOff + i]!);
};

// Elementwise float32: loops that only ever see Float32Array, so V8 compiles them monomorphic (the
// dtype-generic loops in elementwise.ts run ~2× slower once they have seen several array types).
// One loop per op, so no op test runs per element.
// biome-ignore format: one line per op
const binaryF32: BinaryF32Kernel = (op, a, aOff, aPeriod, b, bOff, bPeriod, out, n) => {
  const p = Math.min(aPeriod, bPeriod);
  for (let r = 0; r < n; r += p) {
    const ia = aOff + (aPeriod === n ? r : 0) - r;
    const ib = bOff + (bPeriod === n ? r : 0) - r;
    const end = r + p;
    switch (op) {
      case 'add': for (let i = r; i < end; i++) out[i] = a[ia + i]! + b[ib + i]!; break;
      case 'sub': for (let i = r; i < end; i++) out[i] = a[ia + i]! - b[ib + i]!; break;
      case 'mul': for (let i = r; i < end; i++) out[i] = a[ia + i]! * b[ib + i]!; break;
      case 'div': for (let i = r; i < end; i++) out[i] = a[ia + i]! / b[ib + i]!; break;
    }
  }
};

// biome-ignore format: one line per op
const scalarF32: ScalarF32Kernel = (op, x, xOff, s, scalarLeft, out, n) => {
  const d = xOff;
  switch (scalarLeft ? `${op}L` : op) {
    case 'add': for (let i = 0; i < n; i++) out[i] = x[d + i]! + s; return;
    case 'sub': for (let i = 0; i < n; i++) out[i] = x[d + i]! - s; return;
    case 'mul': for (let i = 0; i < n; i++) out[i] = x[d + i]! * s; return;
    case 'div': for (let i = 0; i < n; i++) out[i] = x[d + i]! / s; return;
    case 'addL': for (let i = 0; i < n; i++) out[i] = s + x[d + i]!; return;
    case 'subL': for (let i = 0; i < n; i++) out[i] = s - x[d + i]!; return;
    case 'mulL': for (let i = 0; i < n; i++) out[i] = s * x[d + i]!; return;
    case 'divL': for (let i = 0; i < n; i++) out[i] = s / x[d + i]!; return;
  }
};

/**
 * relu on the bit patterns, with no data-dependent branch (a random sign mispredicts half the time,
 * which made the plain loop ~5× slower): sign bit set → +0 (so −0 → +0), except NaNs, which are
 * kept; the same values as `v > 0 ? v : v === v ? 0 : v`.
 */
const relu: Float32MapKernel = (x, xOff, out, outOff, n) => {
  const xi = new Int32Array(x.buffer, x.byteOffset + 4 * xOff, n);
  const oi = new Int32Array(out.buffer, out.byteOffset + 4 * outOff, n);
  for (let i = 0; i < n; i++) {
    const b = xi[i]!;
    oi[i] = b & (~(b >> 31) | -+((b & 0x7fffffff) > 0x7f800000));
  }
};

// +(x > 0) keeps the loop branch-free: a data-dependent branch on random signs is several times slower.
const reluGrad: ReluGradKernel = (dy, dyOff, x, xOff, out, n) => {
  for (let i = 0; i < n; i++) out[i] = dy[dyOff + i]! * +(x[xOff + i]! > 0);
};

const colSumsF32: ColSumsF32Kernel = (x, xOff, rows, cols, acc) => {
  for (let r = 0, base = xOff; r < rows; r++, base += cols)
    for (let j = 0; j < cols; j++) acc[j]! += x[base + j]!;
};

// lstmCell: the gate pre-activations summed, the activations through the installed sigmoid/tanh
// kernels on whole blocks, the rest with every intermediate rounded (Math.fround).
const lstmCell: LstmCellKernel = (xp, hp, c, n, h, gates, tanhC, out, hb) => {
  const f = Math.fround;
  const h4 = 4 * h;
  const z = new Float32Array(n * h4);
  if (hb) for (let i = 0; i < z.length; i++) z[i] = xp[i]! + f(hp[i]! + hb[i % h4]!);
  else for (let i = 0; i < z.length; i++) z[i] = xp[i]! + hp[i]!;
  // σ of all four blocks (the g block's is not used), tanh of the g block
  const sig = new Float32Array(n * h4);
  kernels.sigmoid(z, 0, sig, 0, n * h4);
  const zg = new Float32Array(n * h);
  for (let r = 0; r < n; r++) zg.set(z.subarray(r * h4 + 2 * h, r * h4 + 3 * h), r * h);
  const g = new Float32Array(n * h);
  kernels.tanh(zg, 0, g, 0, n * h);
  const c1 = new Float32Array(n * h);
  for (let r = 0; r < n; r++) {
    const zr = r * h4;
    for (let k = 0; k < h; k++) {
      const i = sig[zr + k]!;
      const fg = sig[zr + h + k]!;
      const gk = g[r * h + k]!;
      c1[r * h + k] = f(fg * c[r * h + k]!) + f(i * gk);
      gates[zr + k] = i;
      gates[zr + h + k] = fg;
      gates[zr + 2 * h + k] = gk;
      gates[zr + 3 * h + k] = sig[zr + 3 * h + k]!;
    }
  }
  kernels.tanh(c1, 0, tanhC, 0, n * h);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < h; k++) {
      out[r * 2 * h + k] = gates[r * h4 + 3 * h + k]! * tanhC[r * h + k]!;
      out[r * 2 * h + h + k] = c1[r * h + k]!;
    }
  }
};

const gruCell: GruCellKernel = (xp, hp, hd, n, hs, gates, out) => {
  const f = Math.fround;
  const h3 = 3 * hs;
  const pre = new Float32Array(n * h3);
  for (let i = 0; i < pre.length; i++) pre[i] = xp[i]! + hp[i]!;
  // σ of all three blocks (the n block's is not used)
  const sig = new Float32Array(n * h3);
  kernels.sigmoid(pre, 0, sig, 0, n * h3);
  const arg = new Float32Array(n * hs);
  for (let row = 0; row < n; row++) {
    const g = row * h3;
    for (let k = 0; k < hs; k++)
      arg[row * hs + k] = xp[g + 2 * hs + k]! + f(sig[g + k]! * hp[g + 2 * hs + k]!);
  }
  const nn = new Float32Array(n * hs);
  kernels.tanh(arg, 0, nn, 0, n * hs);
  for (let row = 0; row < n; row++) {
    const g = row * h3;
    for (let k = 0; k < hs; k++) {
      const z = sig[g + hs + k]!;
      const nv = nn[row * hs + k]!;
      gates[g + k] = sig[g + k]!;
      gates[g + hs + k] = z;
      gates[g + 2 * hs + k] = nv;
      // (1 − z)·n + z·h written as n + z·(h − n), as the GRU layer composed it.
      out[row * hs + k] = nv + f(z * f(hd[row * hs + k]! - nv));
    }
  }
};

// The cells' backward in double, each result rounded once on store (float32 arrays) or exact (float64).
const lstmCellGrad: LstmCellGradKernel = (gates, tanhC, cd, dH, dhOff, dC, dcOff, ld, n, h, dz, dc) => {
  for (let r = 0; r < n; r++) {
    const z = r * 4 * h;
    for (let k = 0; k < h; k++) {
      const i = gates[z + k]!;
      const fg = gates[z + h + k]!;
      const g = gates[z + 2 * h + k]!;
      const o = gates[z + 3 * h + k]!;
      const tc = tanhC[r * h + k]!;
      const dh = dH[dhOff + r * ld + k]!;
      // dc' gathers the direct gradient of c' and the one through h' = o·tanh(c').
      const dc1 = dC[dcOff + r * ld + k]! + dh * o * (1 - tc * tc);
      dz[z + k] = dc1 * g * i * (1 - i);
      dz[z + h + k] = dc1 * cd[r * h + k]! * fg * (1 - fg);
      dz[z + 2 * h + k] = dc1 * i * (1 - g * g);
      dz[z + 3 * h + k] = dh * tc * o * (1 - o);
      dc[r * h + k] = dc1 * fg;
    }
  }
};

const gruCellGrad: GruCellGradKernel = (gates, hp, hd, d, n, hs, dx, dhp, dh) => {
  for (let row = 0; row < n; row++) {
    const g = row * 3 * hs;
    for (let k = 0; k < hs; k++) {
      const r = gates[g + k]!;
      const z = gates[g + hs + k]!;
      const nn = gates[g + 2 * hs + k]!;
      const dout = d[row * hs + k]!;
      const dn = dout * (1 - z) * (1 - nn * nn); // through tanh
      const dz = dout * (hd[row * hs + k]! - nn) * z * (1 - z);
      const dr = dn * hp[g + 2 * hs + k]! * r * (1 - r);
      dx[g + k] = dr;
      dx[g + hs + k] = dz;
      dx[g + 2 * hs + k] = dn;
      dhp[g + k] = dr;
      dhp[g + hs + k] = dz;
      dhp[g + 2 * hs + k] = dn * r;
      dh[row * hs + k] = dout * z;
    }
  }
};

/** A reusable scratch matrix of at least n elements, of `like`'s element type (one per user). */
function scratchOf(store: { f32: Float32Array; f64: Float64Array }, like: FloatArray, n: number): FloatArray {
  if (like instanceof Float32Array) {
    if (store.f32.length < n) store.f32 = new Float32Array(n);
    return store.f32;
  }
  if (store.f64.length < n) store.f64 = new Float64Array(n);
  return store.f64;
}

// sgemmUnfold / sgemmFold: the compositions they stand for, through the installed im2col/col2im and
// sgemm; each with its own scratch.
const unfoldScratch = { f32: new Float32Array(0), f64: new Float64Array(0) };
const foldScratch = { f32: new Float32Array(0), f64: new Float64Array(0) };
// Images per block of the unfolded GEMMs: the column matrix is capped at 2¹⁸ elements (1 MB of
// float32), so what im2col writes is still in cache when the GEMM packs it (a LeNet training step
// took 42.5 ms instead of 58.7 ms against an 8 MB cap, 4 alternating rounds on a shared 2-core EPYC),
// and the scratch stays small whatever the batch.
const COL_CAP = 1 << 18;

/** How many of nb images one unfolded block takes (at least 1). */
function imagesPerBlock(nb: number, CKK: number, L: number): number {
  return Math.max(1, Math.min(nb, Math.floor(COL_CAP / Math.max(1, CKK * L))));
}

/**
 * An sgemmUnfold call run as one call of `block` per imagesPerBlock images: forward blocks write their
 * own images' columns of C; weight-gradient blocks add into C in order (beta applies to the first).
 * The reference and the WebAssembly GEMM path both cut blocks so, hence the same sums.
 */
export function unfoldByBlocks(block: SgemmUnfoldKernel, ...args: Parameters<SgemmUnfoldKernel>): void {
  const [transU, M, alpha, A, offA, lda, x, xOff, imageStride, nb, Cg, g, beta, C, offC, ldc, ldi] = args;
  const blk = imagesPerBlock(nb, Cg * g.kh * g.kw, g.OH * g.OW);
  for (let i0 = 0; i0 < nb; i0 += blk) {
    const n = Math.min(blk, nb - i0);
    const x0 = xOff + i0 * imageStride;
    if (transU)
      block(
        true,
        M,
        alpha,
        A,
        offA + i0 * ldi,
        lda,
        x,
        x0,
        imageStride,
        n,
        Cg,
        g,
        i0 ? 1 : beta,
        C,
        offC,
        ldc,
        ldi,
      );
    else
      block(false, M, alpha, A, offA, lda, x, x0, imageStride, n, Cg, g, beta, C, offC + i0 * ldi, ldc, ldi);
  }
}

/** An sgemmFold call run as one call of `block` per imagesPerBlock images (each adds into its own). */
export function foldByBlocks(block: SgemmFoldKernel, ...args: Parameters<SgemmFoldKernel>): void {
  const [transA, K, A, offA, lda, B, offB, ldb, ldi, dx, dxOff, imageStride, nb, Cg, g] = args;
  const blk = imagesPerBlock(nb, Cg * g.kh * g.kw, g.OH * g.OW);
  for (let i0 = 0; i0 < nb; i0 += blk) {
    const n = Math.min(blk, nb - i0);
    block(
      transA,
      K,
      A,
      offA,
      lda,
      B,
      offB + i0 * ldi,
      ldb,
      ldi,
      dx,
      dxOff + i0 * imageStride,
      imageStride,
      n,
      Cg,
      g,
    );
  }
}

const sgemmUnfold: SgemmUnfoldKernel = (...args) => unfoldByBlocks(unfoldBlock, ...args);

/** sgemmUnfold of one block: im2col of its images into scratch, then one sgemm. */
const unfoldBlock: SgemmUnfoldKernel = (
  transU,
  M,
  alpha,
  A,
  offA,
  lda,
  x,
  xOff,
  imageStride,
  nb,
  Cg,
  g,
  beta,
  C,
  offC,
  ldc,
  ldi,
) => {
  const L = g.OH * g.OW;
  const NL = nb * L;
  const CKK = Cg * g.kh * g.kw;
  const U = scratchOf(unfoldScratch, x, CKK * NL);
  for (let i = 0; i < nb; i++) kernels.im2col(x, xOff + i * imageStride, Cg, g, U, i * L, NL);
  if (transU) {
    const [a, la, oa] = compactRows(A, offA, lda, ldi, M, nb, L);
    kernels.sgemm(false, true, M, CKK, NL, alpha, a, la, U, NL, beta, C, ldc, oa, 0, offC);
  } else if (ldi === L || nb === 1) {
    kernels.sgemm(false, false, M, NL, CKK, alpha, A, lda, U, NL, beta, C, ldc, offA, 0, offC);
  } else {
    // C's images apart: the product into compact rows (C brought in for beta), then moved back.
    const c = scratchOf(rowScratch, C, M * NL);
    if (beta !== 0) imageRows(true, C, offC, ldc, ldi, M, nb, L, c);
    kernels.sgemm(false, false, M, NL, CKK, alpha, A, lda, U, NL, beta, c, NL, offA, 0, 0);
    imageRows(false, C, offC, ldc, ldi, M, nb, L, c);
  }
};

const rowScratch = { f32: new Float32Array(0), f64: new Float64Array(0) };

/** Copies the rows×(nb·L) operand X (row r's image i at X[off + r·ld + i·ldi]) to or from compact rows of c. */
function imageRows(
  toCompact: boolean,
  X: FloatArray,
  off: number,
  ld: number,
  ldi: number,
  rows: number,
  nb: number,
  L: number,
  c: FloatArray,
): void {
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < nb; i++) {
      const s = off + r * ld + i * ldi;
      const d = (r * nb + i) * L;
      if (toCompact) c.set(X.subarray(s, s + L), d);
      else X.set(c.subarray(d, d + L), s);
    }
  }
}

/** X as compact rows [array, row stride, offset]: itself when its images are L apart already. */
function compactRows(
  X: FloatArray,
  off: number,
  ld: number,
  ldi: number,
  rows: number,
  nb: number,
  L: number,
): [FloatArray, number, number] {
  if (ldi === L || nb === 1) return [X, ld, off];
  const c = scratchOf(rowScratch, X, rows * nb * L);
  imageRows(true, X, off, ld, ldi, rows, nb, L, c);
  return [c, nb * L, 0];
}

const sgemmFold: SgemmFoldKernel = (...args) => foldByBlocks(foldBlock, ...args);

/** sgemmFold of one block: one sgemm into scratch, then col2im per image. */
const foldBlock: SgemmFoldKernel = (
  transA,
  K,
  A,
  offA,
  lda,
  B,
  offB,
  ldb,
  ldi,
  dx,
  dxOff,
  imageStride,
  nb,
  Cg,
  g,
) => {
  const L = g.OH * g.OW;
  const NL = nb * L;
  const CKK = Cg * g.kh * g.kw;
  const P = scratchOf(foldScratch, dx, CKK * NL);
  const [b, lb, ob] = compactRows(B, offB, ldb, ldi, K, nb, L);
  kernels.sgemm(transA, false, CKK, NL, K, 1, A, lda, b, lb, 0, P, NL, offA, ob, 0);
  for (let i = 0; i < nb; i++) kernels.col2im(P, Cg, g, dx, dxOff + i * imageStride, i * L, NL);
};

// ---------------------------------------------------------------------------------------------
// Batch norm over [n, c, s] (s = the product of the trailing dims): flat loops per channel, the
// statistics in float64 accumulators.

/** Σ over channel ch's n·s values of x [n, c, s], in double and in storage order. */
function channelSum(x: FloatArray, ch: number, n: number, c: number, s: number): number {
  const stride = c * s;
  let acc = 0;
  for (let i = 0, base = ch * s; i < n; i++, base += stride) {
    for (let k = base, end = base + s; k < end; k++) acc += x[k]!;
  }
  return acc;
}

const batchNormMoments: BatchNormMomentsKernel = (x, n, c, s, mean, biasedVar) => {
  const m = n * s;
  const stride = c * s;
  for (let ch = 0; ch < c; ch++) {
    // Two passes (mean, then squared deviations) keep the variance accurate for large means.
    const mu = channelSum(x, ch, n, c, s) / m;
    let sq = 0;
    for (let i = 0, base = ch * s; i < n; i++, base += stride) {
      for (let k = base, end = base + s; k < end; k++) {
        const d = x[k]! - mu;
        sq += d * d;
      }
    }
    mean[ch] = mu;
    biasedVar[ch] = sq / m;
  }
};

const channelSums: ChannelSumsKernel = (x, n, c, s, out) => {
  for (let ch = 0; ch < c; ch++) out[ch] = channelSum(x, ch, n, c, s);
};

const batchNormApply: BatchNormApplyKernel = (x, n, c, s, scale, shift, out) => {
  const stride = c * s;
  for (let ch = 0; ch < c; ch++) {
    const sc = scale[ch]!;
    const sh = shift[ch]!;
    for (let i = 0, base = ch * s; i < n; i++, base += stride) {
      for (let k = base, end = base + s; k < end; k++) out[k] = x[k]! * sc + sh;
    }
  }
};

const batchNormGrad: BatchNormGradKernel = (dy, x, n, c, s, mean, invStd, weight, dx, sums, training) => {
  const stride = c * s;
  const m = n * s;
  for (let ch = 0; ch < c; ch++) {
    const mc = mean[ch]!;
    const ic = invStd[ch]!;
    // Σdy and Σdy·(x − mean) in one pass; x̂ = (x − mean)·invStd.
    let sumDy = 0;
    let sumDyXc = 0;
    for (let i = 0, base = ch * s; i < n; i++, base += stride) {
      for (let k = base, end = base + s; k < end; k++) {
        const g = dy[k]!;
        sumDy += g;
        sumDyXc += g * (x[k]! - mc);
      }
    }
    const sumDyXhat = sumDyXc * ic;
    sums[ch] = sumDyXhat;
    sums[c + ch] = sumDy;
    const scale = (weight === null ? 1 : weight[ch]!) * ic;
    if (!training) {
      for (let i = 0, base = ch * s; i < n; i++, base += stride) {
        for (let k = base, end = base + s; k < end; k++) dx[k] = dy[k]! * scale;
      }
      continue;
    }
    // dx = scale·(dy − Σdy/M − (x − mean)·invStd²·Σ(dy·x̂)/M), folded into dy·a + x·kx + c0.
    const k1 = (ic * sumDyXhat) / m;
    const kx = -scale * k1;
    const c0 = scale * (mc * k1 - sumDy / m);
    for (let i = 0, base = ch * s; i < n; i++, base += stride) {
      for (let k = base, end = base + s; k < end; k++) dx[k] = dy[k]! * scale + x[k]! * kx + c0;
    }
  }
};

const maxPool2dGrad: MaxPool2dGradKernel = (dy, argmax, planes, n, HW, dx) => {
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < n; i++) {
      const a = argmax[p * n + i]!;
      if (a >= HW) return p * n + i;
      if (a >= 0) dx[p * HW + a] = dx[p * HW + a]! + dy[p * n + i]!;
    }
  }
  return -1;
};

export const referenceKernels: Readonly<Kernels> = Object.freeze({
  sgemm,
  im2col,
  col2im,
  softmax,
  maxPool2d,
  maxPool2dGrad,
  avgPool2d,
  avgPool2dGrad,
  adam,
  adamMoments: (n: number) => ({ m: new Float32Array(n), v: new Float32Array(n) }),
  sgd,
  sigmoid,
  tanh,
  sgemmUnfold,
  sgemmFold,
  binaryF32,
  scalarF32,
  relu,
  reluGrad,
  colSumsF32,
  channelSums,
  batchNormMoments,
  batchNormApply,
  batchNormGrad,
  lstmCell,
  gruCell,
  lstmCellGrad,
  gruCellGrad,
});

/** The kernels the ops call; starts as the reference set. */
export const kernels: Kernels = { ...referenceKernels };

/** Replaces one kernel (e.g. with a WebAssembly one); returns the previous implementation. */
export function setKernel<K extends keyof Kernels>(name: K, impl: Kernels[K]): Kernels[K] {
  if (!(name in referenceKernels))
    fail(
      'setKernel',
      `name must be one of ${Object.keys(referenceKernels).join(', ')}, received '${String(name)}'`,
    );
  if (typeof impl !== 'function')
    fail('setKernel', `impl for '${String(name)}' must be a function, received ${typeof impl}`);
  const prev = kernels[name];
  kernels[name] = impl;
  return prev;
}
