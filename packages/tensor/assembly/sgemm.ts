// WebAssembly SIMD sgemm (AssemblyScript), float32, row-major, BLAS semantics:
//   C = alpha·op(A)·op(B) + beta·C   with op(X) = X or Xᵀ.
// GotoBLAS blocking: op(B) is packed per KC×NC block into NR=8-column panels, op(A) per MC×KC
// block into MR-row panels, and an MR×8 register-blocked micro-kernel (f32x4 accumulators) runs
// over the panels. Packing makes transposed inputs free (the micro-kernel reads contiguously).
//
// Built twice by scripts/build-wasm.mjs: with relaxed SIMD, f32x4.relaxed_madd gives a real FMA
// and a 6×8 tile (12 accumulators + 2 B vectors + 1 A splat = 15 of V8's 15 usable registers);
// without it mul+add needs a temporary, so the tile is 5×8. Both also get a shared-memory build
// (threads): the kernel is reentrant, every pointer (pack buffers included) comes from the caller,
// so workers run it on disjoint column/row blocks of C.
//
// Pointers are byte offsets into linear memory; lda/ldb/ldc are in elements.

const NR: i32 = 8;
// @ts-ignore: compile-time constant folded by asc
const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 5;
const KC: i32 = 256;
// The micro-kernel flushes its f32 accumulators into C every KCHUNK k-steps: rounding error then
// grows like (KCHUNK + K/KCHUNK)·u rather than K·u (pairwise-like), for ~3% more C traffic.
const KCHUNK: i32 = 32;
const MC: i32 = MR * 16;
const NC: i32 = 1024;
// Scratch tile for edge blocks (rows < MR or cols < NR), kept after packA's panels so each
// thread has its own (static data would be shared between threads in the shared-memory build).
const EDGE_BYTES: i32 = 6 * 8 * 4;

/** Bytes the caller must reserve for one thread's packA / packB buffers. */
export function packABytes(): i32 {
  return MC * KC * 4 + EDGE_BYTES;
}
export function packBBytes(): i32 {
  return KC * (NC + NR) * 4;
}
export function heapBase(): usize {
  return __heap_base;
}
export function tileRows(): i32 {
  return MR;
}

// @ts-ignore: decorator
@inline
function fma(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** op(B)[k0.., j0..] (kc×nc) → panels of NR columns: Bp[(p·kc + k)·NR + c], zero-padded. */
function packB(B: usize, ldb: i32, transB: bool, k0: i32, kc: i32, j0: i32, nc: i32, Bp: usize): void {
  const full = nc - (nc % NR);
  const step = <usize>(kc * NR) << 2;
  if (!transB) {
    for (let k = 0; k < kc; k++) {
      const src = B + ((<usize>(k0 + k) * ldb + j0) << 2);
      let dst = Bp + (<usize>(k * NR) << 2);
      let j = 0;
      for (; j < full; j += NR, dst += step) {
        v128.store(dst, v128.load(src + (<usize>j << 2)));
        v128.store(dst, v128.load(src + (<usize>j << 2), 16), 16);
      }
      if (j < nc) {
        for (let c = 0; c < NR; c++)
          store<f32>(dst + (<usize>c << 2), j + c < nc ? load<f32>(src + (<usize>(j + c) << 2)) : 0);
      }
    }
  } else {
    // op(B)(k, j) = B[j·ldb + k]: each source row j is contiguous along k. Whole 4×4 blocks are
    // transposed in registers (4 loads, 8 shuffles, 4 stores instead of 16 scalar moves).
    const k4 = kc & ~3;
    for (let j = 0; j < full; j += 4) {
      const s0 = B + ((<usize>(j0 + j) * ldb + k0) << 2);
      const ld = <usize>ldb << 2;
      let dst = Bp + ((<usize>((j / NR) * kc) * NR + (j % NR)) << 2);
      for (let k = 0; k < k4; k += 4, dst += (NR * 4) << 2) {
        const o = <usize>k << 2;
        const v0 = v128.load(s0 + o);
        const v1 = v128.load(s0 + ld + o);
        const v2 = v128.load(s0 + 2 * ld + o);
        const v3 = v128.load(s0 + 3 * ld + o);
        const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
        const t1 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
        const t2 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
        const t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
        v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
        v128.store(dst + (NR << 2), v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
        v128.store(dst + (NR << 3), v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
        v128.store(dst + ((NR * 3) << 2), v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
      }
      for (let r = 0; r < 4; r++) {
        const src = s0 + <usize>r * ld;
        let d = Bp + ((<usize>((j / NR) * kc + k4) * NR + (j % NR) + r) << 2);
        for (let k = k4; k < kc; k++, d += NR << 2) store<f32>(d, load<f32>(src + (<usize>k << 2)));
      }
    }
    for (let j = full; j < nc; j++) {
      const src = B + ((<usize>(j0 + j) * ldb + k0) << 2);
      const p = j / NR;
      const c = j % NR;
      let dst = Bp + ((<usize>(p * kc) * NR + c) << 2);
      for (let k = 0; k < kc; k++, dst += NR << 2) store<f32>(dst, load<f32>(src + (<usize>k << 2)));
    }
    if (full < nc) {
      const p = full / NR;
      for (let k = 0; k < kc; k++) {
        const dst = Bp + ((<usize>(p * kc + k) * NR) << 2);
        for (let c = nc - full; c < NR; c++) store<f32>(dst + (<usize>c << 2), 0);
      }
    }
  }
}

/** op(A)[i0.., k0..] (mc×kc) → panels of MR rows: Ap[(p·kc + k)·MR + r], zero-padded. */
function packA(A: usize, lda: i32, transA: bool, i0: i32, mc: i32, k0: i32, kc: i32, Ap: usize): void {
  const np = (mc + MR - 1) / MR;
  for (let p = 0; p < np; p++) {
    const rows = min(MR, mc - p * MR);
    const base = Ap + (<usize>(p * kc * MR) << 2);
    if (transA) {
      // op(A)(i, k) = A[k·lda + i]: the MR rows of one k are contiguous.
      for (let k = 0; k < kc; k++) {
        const src = A + ((<usize>(k0 + k) * lda + i0 + p * MR) << 2);
        const dst = base + (<usize>(k * MR) << 2);
        for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), r < rows ? load<f32>(src + (<usize>r << 2)) : 0);
      }
    } else {
      for (let r = 0; r < MR; r++) {
        let dst = base + (<usize>r << 2);
        if (r < rows) {
          const src = A + ((<usize>(i0 + p * MR + r) * lda + k0) << 2);
          for (let k = 0; k < kc; k++, dst += MR << 2) store<f32>(dst, load<f32>(src + (<usize>k << 2)));
        } else {
          for (let k = 0; k < kc; k++, dst += MR << 2) store<f32>(dst, 0);
        }
      }
    }
  }
}


// @ts-ignore: decorator
@inline
function updateRow(c: usize, acc0: v128, acc1: v128, va: v128): void {
  v128.store(c, fma(va, acc0, v128.load(c)));
  v128.store(c, fma(va, acc1, v128.load(c, 16)), 16);
}

function storeEdge(edge: usize, c: usize, ldc: i32, alpha: f32, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = c + (<usize>(r * ldc) << 2);
    for (let q = 0; q < cols; q++) {
      const p = row + (<usize>q << 2);
      store<f32>(p, load<f32>(p) + alpha * load<f32>(edge + (<usize>(r * NR + q) << 2)));
    }
  }
}

/** C[0..rows, 0..cols] += alpha · Ap-panel · Bp-panel over kc steps (MR×8 tile). */
function micro(
  kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, alpha: f32, rows: i32, cols: i32, edge: usize,
): void {
  const ld = <usize>ldc << 2;
  const va = f32x4.splat(alpha);
  for (let k0 = 0; k0 < kc; k0 += KCHUNK) {
    const kend = min(kc, k0 + KCHUNK);
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
    let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
    let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
    let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
    let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
    for (let k = k0; k < kend; k++) {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      let a = v128.load32_splat(pa);
      c00 = fma(a, b0, c00);
      c01 = fma(a, b1, c01);
      a = v128.load32_splat(pa, 4);
      c10 = fma(a, b0, c10);
      c11 = fma(a, b1, c11);
      a = v128.load32_splat(pa, 8);
      c20 = fma(a, b0, c20);
      c21 = fma(a, b1, c21);
      a = v128.load32_splat(pa, 12);
      c30 = fma(a, b0, c30);
      c31 = fma(a, b1, c31);
      a = v128.load32_splat(pa, 16);
      c40 = fma(a, b0, c40);
      c41 = fma(a, b1, c41);
      if (MR == 6) {
        a = v128.load32_splat(pa, 20);
        c50 = fma(a, b0, c50);
        c51 = fma(a, b1, c51);
      }
      pa += MR << 2;
      pb += NR << 2;
    }
    if (cols == NR) {
      // Full-width tiles (the last row panel of M = 32 or 64 included) store whole rows in SIMD.
      updateRow(c, c00, c01, va);
      if (rows > 1) updateRow(c + ld, c10, c11, va);
      if (rows > 2) updateRow(c + 2 * ld, c20, c21, va);
      if (rows > 3) updateRow(c + 3 * ld, c30, c31, va);
      if (rows > 4) updateRow(c + 4 * ld, c40, c41, va);
      if (MR == 6 && rows > 5) updateRow(c + 5 * ld, c50, c51, va);
    } else {
      v128.store(edge, c00);
      v128.store(edge, c01, 16);
      v128.store(edge, c10, 32);
      v128.store(edge, c11, 48);
      v128.store(edge, c20, 64);
      v128.store(edge, c21, 80);
      v128.store(edge, c30, 96);
      v128.store(edge, c31, 112);
      v128.store(edge, c40, 128);
      v128.store(edge, c41, 144);
      if (MR == 6) {
        v128.store(edge, c50, 160);
        v128.store(edge, c51, 176);
      }
      storeEdge(edge, c, ldc, alpha, rows, cols);
    }
  }
}

/**
 * C = alpha·op(A)·op(B) + beta·C. beta = 0 overwrites C (NaNs in C are not propagated).
 * Ap/Bp: this call's pack buffers (packABytes()/packBBytes() bytes, 16-byte aligned); concurrent
 * calls need their own.
 */
export function sgemm(
  transA: bool,
  transB: bool,
  M: i32,
  N: i32,
  K: i32,
  alpha: f32,
  A: usize,
  lda: i32,
  B: usize,
  ldb: i32,
  beta: f32,
  C: usize,
  ldc: i32,
  Ap: usize,
  Bp: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (beta != 1) {
    const vb = f32x4.splat(beta);
    for (let i = 0; i < M; i++) {
      const row = C + (<usize>(i * ldc) << 2);
      let j = 0;
      if (beta == 0) {
        for (; j + 4 <= N; j += 4) v128.store(row + (<usize>j << 2), f32x4.splat(0));
        for (; j < N; j++) store<f32>(row + (<usize>j << 2), 0);
      } else {
        for (; j + 4 <= N; j += 4) {
          const p = row + (<usize>j << 2);
          v128.store(p, f32x4.mul(v128.load(p), vb));
        }
        for (; j < N; j++) {
          const p = row + (<usize>j << 2);
          store<f32>(p, load<f32>(p) * beta);
        }
      }
    }
  }
  if (K <= 0 || alpha == 0) return;
  const edge = Ap + <usize>(MC * KC * 4);
  for (let j0 = 0; j0 < N; j0 += NC) {
    const nc = min(NC, N - j0);
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kc = min(KC, K - k0);
      packB(B, ldb, transB, k0, kc, j0, nc, Bp);
      for (let i0 = 0; i0 < M; i0 += MC) {
        const mc = min(MC, M - i0);
        packA(A, lda, transA, i0, mc, k0, kc, Ap);
        const np = (nc + NR - 1) / NR;
        const mp = (mc + MR - 1) / MR;
        for (let jp = 0; jp < np; jp++) {
          const pb = Bp + (<usize>(jp * kc * NR) << 2);
          const cols = min(NR, nc - jp * NR);
          for (let ip = 0; ip < mp; ip++) {
            const pa = Ap + (<usize>(ip * kc * MR) << 2);
            const rows = min(MR, mc - ip * MR);
            const c = C + ((<usize>(i0 + ip * MR) * ldc + j0 + jp * NR) << 2);
            micro(kc, pa, pb, c, ldc, alpha, rows, cols, edge);
          }
        }
      }
    }
  }
}
