// WebAssembly SIMD sgemm (AssemblyScript), float32, row-major, BLAS semantics:
//   C = alpha·op(A)·op(B) + beta·C   with op(X) = X or Xᵀ.
// GotoBLAS blocking: op(B) is packed per KC×NC block into NR=8-column panels, op(A) per MC×KC
// block into MR-row panels, and an MR×8 register-blocked micro-kernel (f32x4 accumulators) runs
// over the panels. Packing makes transposed inputs free (the micro-kernel reads contiguously).
// op(A) is packed already splatted (each element as a whole f32x4): the micro-kernel then reads it
// with plain vector loads, whose offsets V8 folds into the address, where load32_splat with an
// offset cost an extra address computation each (the k loop went from 27 to 21 instructions).
//
// Built twice by scripts/build-wasm.mjs: with relaxed SIMD, f32x4.relaxed_madd gives a real FMA;
// without it, mul+add. The tile is 4×8 in both: TurboFan hoists every load of the k loop to its
// head, so 4 A splats + 2 B vectors + 8 accumulators (14 of V8's 15 usable vector registers) is
// the largest tile that does not spill (see micro). Both also get a shared-memory build
// (threads): the kernel is reentrant, every pointer (pack buffers included) comes from the caller,
// so workers run it on disjoint column/row blocks of C.
//
// Pointers are byte offsets into linear memory; lda/ldb/ldc are in elements.

const NR: i32 = 8;
const MR: i32 = 4;
const KC: i32 = 256;
// The micro-kernel flushes its f32 accumulators into C every KCHUNK k-steps: rounding error then
// grows like (KCHUNK + K/KCHUNK)·u rather than K·u (pairwise-like), for ~3% more C traffic.
const KCHUNK: i32 = 32;
const MC: i32 = MR * 16;
const NC: i32 = 1024;
// Scratch tile for edge blocks (rows < MR or cols < NR), kept after packA's panels so each
// thread has its own (static data would be shared between threads in the shared-memory build).
const EDGE_BYTES: i32 = MR * NR * 4;

/** Bytes the caller must reserve for one thread's packA / packB buffers. */
export function packABytes(): i32 {
  return MC * KC * 16 + EDGE_BYTES;
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
export function tileCols(): i32 {
  return NR;
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

/** op(A)[i0.., k0..] (mc×kc) → panels of MR rows, each element splatted: f32x4 Ap[(p·kc + k)·MR + r], zero-padded. */
function packA(A: usize, lda: i32, transA: bool, i0: i32, mc: i32, k0: i32, kc: i32, Ap: usize): void {
  const np = (mc + MR - 1) / MR;
  for (let p = 0; p < np; p++) {
    const rows = min(MR, mc - p * MR);
    const base = Ap + (<usize>(p * kc * MR) << 4);
    if (transA && rows == MR) {
      // op(A)(i, k) = A[k·lda + i]: the MR rows of one k are one vector, splatted lane by lane.
      let src = A + ((<usize>k0 * lda + i0 + p * MR) << 2);
      let dst = base;
      for (let k = 0; k < kc; k++, dst += MR << 4, src += <usize>lda << 2) {
        const v = v128.load(src);
        v128.store(dst, i32x4.shuffle(v, v, 0, 0, 0, 0));
        v128.store(dst, i32x4.shuffle(v, v, 1, 1, 1, 1), 16);
        v128.store(dst, i32x4.shuffle(v, v, 2, 2, 2, 2), 32);
        v128.store(dst, i32x4.shuffle(v, v, 3, 3, 3, 3), 48);
      }
      continue;
    }
    for (let r = 0; r < MR; r++) {
      let dst = base + (<usize>r << 4);
      if (r < rows) {
        if (transA) {
          let src = A + ((<usize>k0 * lda + i0 + p * MR + r) << 2);
          for (let k = 0; k < kc; k++, dst += MR << 4, src += <usize>lda << 2) v128.store(dst, v128.load32_splat(src));
        } else {
          const src = A + ((<usize>(i0 + p * MR + r) * lda + k0) << 2);
          for (let k = 0; k < kc; k++, dst += MR << 4) v128.store(dst, v128.load32_splat(src + (<usize>k << 2)));
        }
      } else {
        for (let k = 0; k < kc; k++, dst += MR << 4) v128.store(dst, f32x4.splat(0));
      }
    }
  }
}

/**
 * C[0..MR, 0..NR] += alpha · (Ap-panel · Bp-panel over kc steps). A function of its own with a
 * single loop, called from two sites (so binaryen keeps it out of line): TurboFan then keeps the
 * 8 accumulators, 2 B vectors and the 4 pre-splatted A vectors (which it hoists to the loop head) in 14 of its
 * 15 usable registers. A 6×8 tile needs 20 and spills accumulators through the stack every step,
 * which made the loop latency-bound at about half the speed.
 */
function micro(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, alpha: f32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // The loop runs on pb alone (no separate counter): one add fewer per step.
  const end = pb + (<usize>(kc * NR) << 2);
  for (; pb < end; ) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load(pa);
    const a1 = v128.load(pa, 16);
    const a2 = v128.load(pa, 32);
    const a3 = v128.load(pa, 48);
    c00 = fma(a0, b0, c00);
    c01 = fma(a0, b1, c01);
    c10 = fma(a1, b0, c10);
    c11 = fma(a1, b1, c11);
    c20 = fma(a2, b0, c20);
    c21 = fma(a2, b1, c21);
    c30 = fma(a3, b0, c30);
    c31 = fma(a3, b1, c31);
    pa += MR << 4;
    pb += NR << 2;
  }
  const va = f32x4.splat(alpha);
  const ld = <usize>ldc << 2;
  v128.store(c, fma(va, c00, v128.load(c)));
  v128.store(c, fma(va, c01, v128.load(c, 16)), 16);
  c += ld;
  v128.store(c, fma(va, c10, v128.load(c)));
  v128.store(c, fma(va, c11, v128.load(c, 16)), 16);
  c += ld;
  v128.store(c, fma(va, c20, v128.load(c)));
  v128.store(c, fma(va, c21, v128.load(c, 16)), 16);
  c += ld;
  v128.store(c, fma(va, c30, v128.load(c)));
  v128.store(c, fma(va, c31, v128.load(c, 16)), 16);
}

/**
 * One MR×NR tile of C over kc steps, in chunks of KCHUNK. Edge tiles (rows < MR or cols < NR) are
 * accumulated into the zeroed scratch tile `edge` and added to C element by element.
 */
function tile(
  kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, alpha: f32, rows: i32, cols: i32, edge: usize,
): void {
  for (let k0 = 0; k0 < kc; k0 += KCHUNK) {
    const n = min(KCHUNK, kc - k0);
    const a = pa + (<usize>(k0 * MR) << 4);
    const b = pb + (<usize>(k0 * NR) << 2);
    if (rows == MR && cols == NR) {
      micro(n, a, b, c, ldc, alpha);
    } else {
      memory.fill(edge, 0, EDGE_BYTES);
      micro(n, a, b, edge, NR, 1);
      const va = f32x4.splat(alpha);
      for (let r = 0; r < rows; r++) {
        const row = c + (<usize>(r * ldc) << 2);
        const e = edge + (<usize>(r * NR) << 2);
        if (cols == NR) {
          // Same rounding as a full tile: one fused multiply-add per element.
          v128.store(row, fma(va, v128.load(e), v128.load(row)));
          v128.store(row, fma(va, v128.load(e, 16), v128.load(row, 16)), 16);
        } else {
          for (let q = 0; q < cols; q++) {
            const p = row + (<usize>q << 2);
            store<f32>(p, load<f32>(p) + alpha * load<f32>(e + (<usize>q << 2)));
          }
        }
      }
    }
  }
}

// Products with a dimension of 1 skip packing: it pads to whole MR×NR tiles (8× the work at N = 1)
// and pays a tile's overhead for one step at K = 1.
// Scratch vectors stay below this many elements (the pack buffers hold more).
const VEC: i32 = 65536;

/** x[0..n) = X[k·stride] for k in [k0, k0 + n): a strided vector made contiguous in scratch. */
function gather(X: usize, stride: i32, k0: i32, n: i32, x: usize): void {
  if (stride == 1) {
    memory.copy(x, X + (<usize>k0 << 2), <usize>n << 2);
    return;
  }
  for (let k = 0; k < n; k++) store<f32>(x + (<usize>k << 2), load<f32>(X + (<usize>(k0 + k) * stride << 2)));
}

/** Lane sum in a fixed order. */
// @ts-ignore: decorator
@inline
function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * y[r] += alpha·Σ_k G(r, k)·x[k] for r < rows, k < kn, y[r] at C + r·cs; G(r, k) at G[r·ld + k], or
 * G[k·ld + r] when gT. Accumulators are flushed every KCHUNK steps (as the micro-kernel does).
 */
function gemv(rows: i32, kn: i32, G: usize, ld: i32, gT: bool, x: usize, alpha: f32, C: usize, cs: i32): void {
  const va = f32x4.splat(alpha);
  if (gT) {
    // column walk: 4 rows per vector, 8 rows per pass, k sequential
    let r = 0;
    for (; r + 8 <= rows; r += 8) {
      let t0 = f32x4.splat(0), t1 = f32x4.splat(0);
      for (let k0 = 0; k0 < kn; k0 += KCHUNK) {
        const end = min(kn, k0 + KCHUNK);
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
        for (let k = k0; k < end; k++) {
          const xk = v128.load32_splat(x + (<usize>k << 2));
          const g = G + ((<usize>k * ld + r) << 2);
          a0 = fma(xk, v128.load(g), a0);
          a1 = fma(xk, v128.load(g, 16), a1);
        }
        t0 = f32x4.add(t0, a0);
        t1 = f32x4.add(t1, a1);
      }
      storeRows(C, cs, r, fma(va, t0, loadRows(C, cs, r)));
      storeRows(C, cs, r + 4, fma(va, t1, loadRows(C, cs, r + 4)));
    }
    for (; r < rows; r++) {
      let t: f32 = 0;
      for (let k0 = 0; k0 < kn; k0 += KCHUNK) {
        const end = min(kn, k0 + KCHUNK);
        let a: f32 = 0;
        for (let k = k0; k < end; k++) a += load<f32>(x + (<usize>k << 2)) * load<f32>(G + ((<usize>k * ld + r) << 2));
        t += a;
      }
      const p = C + (<usize>r * cs << 2);
      store<f32>(p, load<f32>(p) + alpha * t);
    }
    return;
  }
  // dot products of contiguous rows, 4 rows at a time (4 independent accumulator chains)
  const k4 = kn & ~3;
  let r = 0;
  for (; r < rows; r += 4) {
    const nr = min(4, rows - r);
    const g0 = G + (<usize>r * ld << 2);
    const g1 = G + (<usize>(r + min(1, nr - 1)) * ld << 2);
    const g2 = G + (<usize>(r + min(2, nr - 1)) * ld << 2);
    const g3 = G + (<usize>(r + min(3, nr - 1)) * ld << 2);
    let t0 = f32x4.splat(0), t1 = f32x4.splat(0), t2 = f32x4.splat(0), t3 = f32x4.splat(0);
    for (let k0 = 0; k0 < k4; k0 += KCHUNK) {
      const end = min(k4, k0 + KCHUNK);
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      for (let k = k0; k < end; k += 4) {
        const o = <usize>k << 2;
        const xv = v128.load(x + o);
        a0 = fma(v128.load(g0 + o), xv, a0);
        a1 = fma(v128.load(g1 + o), xv, a1);
        a2 = fma(v128.load(g2 + o), xv, a2);
        a3 = fma(v128.load(g3 + o), xv, a3);
      }
      t0 = f32x4.add(t0, a0);
      t1 = f32x4.add(t1, a1);
      t2 = f32x4.add(t2, a2);
      t3 = f32x4.add(t3, a3);
    }
    dotOut(g0, hsum(t0), k4, kn, x, alpha, C, cs, r);
    if (nr > 1) dotOut(g1, hsum(t1), k4, kn, x, alpha, C, cs, r + 1);
    if (nr > 2) dotOut(g2, hsum(t2), k4, kn, x, alpha, C, cs, r + 2);
    if (nr > 3) dotOut(g3, hsum(t3), k4, kn, x, alpha, C, cs, r + 3);
  }
}

/** Adds the dot product's tail (k in [k4, kn)) to s and s·alpha to C[r·cs]. */
function dotOut(g: usize, s: f32, k4: i32, kn: i32, x: usize, alpha: f32, C: usize, cs: i32, r: i32): void {
  for (let k = k4; k < kn; k++) s += load<f32>(g + (<usize>k << 2)) * load<f32>(x + (<usize>k << 2));
  const p = C + (<usize>r * cs << 2);
  store<f32>(p, load<f32>(p) + alpha * s);
}

/** The 4 elements C[r·cs], C[(r+1)·cs], … as a vector (one load when cs = 1). */
// @ts-ignore: decorator
@inline
function loadRows(C: usize, cs: i32, r: i32): v128 {
  if (cs == 1) return v128.load(C + (<usize>r << 2));
  const s = <usize>cs << 2;
  const p = C + (<usize>r * cs << 2);
  let v = v128.load32_splat(p);
  v = f32x4.replace_lane(v, 1, load<f32>(p + s));
  v = f32x4.replace_lane(v, 2, load<f32>(p + 2 * s));
  return f32x4.replace_lane(v, 3, load<f32>(p + 3 * s));
}
// @ts-ignore: decorator
@inline
function storeRows(C: usize, cs: i32, r: i32, v: v128): void {
  if (cs == 1) {
    v128.store(C + (<usize>r << 2), v);
    return;
  }
  const s = <usize>cs << 2;
  const p = C + (<usize>r * cs << 2);
  store<f32>(p, f32x4.extract_lane(v, 0));
  store<f32>(p + s, f32x4.extract_lane(v, 1));
  store<f32>(p + 2 * s, f32x4.extract_lane(v, 2));
  store<f32>(p + 3 * s, f32x4.extract_lane(v, 3));
}

/**
 * M = 1, N = 1 or K = 1 without packing; false for other shapes. N = 1 and M = 1 are matrix-vector
 * products (the vector gathered into the B pack buffer, in chunks of VEC); K = 1 is an outer product,
 * rounded like the micro-kernel's one-step tile (the product, then alpha·product + C fused).
 */
function thin(
  transA: bool, transB: bool, M: i32, N: i32, K: i32, alpha: f32,
  A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, Bp: usize,
): bool {
  if (N == 1) {
    // C[i, 0] += alpha·Σ_k op(A)(i, k)·op(B)(k, 0)
    for (let k0 = 0; k0 < K; k0 += VEC) {
      const kn = min(VEC, K - k0);
      gather(B, transB ? 1 : ldb, k0, kn, Bp);
      const a = A + (<usize>(transA ? k0 * lda : k0) << 2);
      gemv(M, kn, a, lda, transA, Bp, alpha, C, ldc);
    }
    return true;
  }
  if (M == 1) {
    // C[0, j] += alpha·Σ_k op(A)(0, k)·op(B)(k, j): G(j, k) = op(B)(k, j)
    for (let k0 = 0; k0 < K; k0 += VEC) {
      const kn = min(VEC, K - k0);
      gather(A, transA ? lda : 1, k0, kn, Bp);
      const b = B + (<usize>(transB ? k0 : k0 * ldb) << 2);
      gemv(N, kn, b, ldb, !transB, Bp, alpha, C, 1);
    }
    return true;
  }
  if (K == 1) {
    const va = f32x4.splat(alpha);
    for (let j0 = 0; j0 < N; j0 += VEC) {
      const nc = min(VEC, N - j0);
      gather(B, transB ? ldb : 1, j0, nc, Bp);
      const n4 = nc & ~3;
      for (let i = 0; i < M; i++) {
        const ai = load<f32>(A + (<usize>(transA ? i : i * lda) << 2));
        const vi = f32x4.splat(ai);
        const row = C + ((<usize>i * ldc + j0) << 2);
        let j = 0;
        for (; j < n4; j += 4) {
          const p = row + (<usize>j << 2);
          v128.store(p, fma(va, f32x4.mul(vi, v128.load(Bp + (<usize>j << 2))), v128.load(p)));
        }
        for (; j < nc; j++) {
          const p = row + (<usize>j << 2);
          store<f32>(p, load<f32>(p) + alpha * (ai * load<f32>(Bp + (<usize>j << 2))));
        }
      }
    }
    return true;
  }
  return false;
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
  if (thin(transA, transB, M, N, K, alpha, A, lda, B, ldb, C, ldc, Bp)) return;
  const edge = Ap + <usize>(MC * KC * 16);
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
            const pa = Ap + (<usize>(ip * kc * MR) << 4);
            const rows = min(MR, mc - ip * MR);
            const c = C + ((<usize>(i0 + ip * MR) * ldc + j0 + jp * NR) << 2);
            tile(kc, pa, pb, c, ldc, alpha, rows, cols, edge);
          }
        }
      }
    }
  }
}
