// Direct stride-1 convolution over "flat" positions: no im2col, no packing of the image.
// An image [C, Hp, S] (rows S elements apart, zero padding already in place) is read as one long
// row per channel; output position p = y·S + x then needs, for tap k = (c, ky, kx), the element at
// p + off[k] with off[k] = c·Hp·S + ky·dh·S + kx·dw. So a conv is a GEMM whose B rows are the image
// itself shifted by off[k], read straight from memory. Positions with x ≥ OW wrap into the next row
// and are computed and thrown away by the caller (S/OW more work: 32/28 on LeNet's first layer).
// Where im2col + packed GEMM streams every unfolded element twice for only M (output channels)
// multiply-adds each, LeNet's 6 and 16 channels left the GEMM mostly waiting on those two passes.
//
// For small images with 9–32 output channels the channels are the vector lanes instead (convDirectT,
// convDirectGradWT), over the kept positions only. All forms are reentrant (every pointer comes from
// the caller), so the worker pool runs them on blocks of images or taps.
//
// Pointers are byte offsets into linear memory; off[] holds byte offsets. The kernels flush their
// f32x4 accumulators into memory every KCHUNK taps (forward) or once per image (weight gradients),
// the error-growth bound the sgemm keeps.

const KCHUNK: i32 = 32;

// @ts-ignore: decorator
@inline
function fma(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * Two output rows (c, c + ldc) × 16 positions += Σ over n taps of w·x: 8 accumulators, 4 image
 * vectors and 2 splatted weights, 14 of V8's 15 usable vector registers (like sgemm's micro).
 */
function micro(n: i32, xb: usize, w: usize, off: usize, c: usize, ldc: i32, prev: usize, ldp: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  const end = off + (<usize>n << 2);
  for (; off < end; off += 4, w += 32) {
    const src = xb + <usize>load<i32>(off);
    const b0 = v128.load(src);
    const b1 = v128.load(src, 16);
    const b2 = v128.load(src, 32);
    const b3 = v128.load(src, 48);
    const a0 = v128.load(w);
    const a1 = v128.load(w, 16);
    c00 = fma(a0, b0, c00);
    c01 = fma(a0, b1, c01);
    c02 = fma(a0, b2, c02);
    c03 = fma(a0, b3, c03);
    c10 = fma(a1, b0, c10);
    c11 = fma(a1, b1, c11);
    c12 = fma(a1, b2, c12);
    c13 = fma(a1, b3, c13);
  }
  v128.store(c, f32x4.add(v128.load(prev), c00));
  v128.store(c, f32x4.add(v128.load(prev, 16), c01), 16);
  v128.store(c, f32x4.add(v128.load(prev, 32), c02), 32);
  v128.store(c, f32x4.add(v128.load(prev, 48), c03), 48);
  c += <usize>ldc << 2;
  prev += <usize>ldp << 2;
  v128.store(c, f32x4.add(v128.load(prev), c10));
  v128.store(c, f32x4.add(v128.load(prev, 16), c11), 16);
  v128.store(c, f32x4.add(v128.load(prev, 32), c12), 32);
  v128.store(c, f32x4.add(v128.load(prev, 48), c13), 48);
}

// Read-only zeros: the first chunk of taps adds its sums to these instead of to a zeroed output, so
// the output is neither cleared first nor read back (0 + s, as the sgemm's first chunk: −0 → +0).
const ZEROS: usize = memory.data(64);

/**
 * out[i·os + o·P + p] = Σ_k W(o, k)·x[i·xs + off[k]/4 + p] for images i < nb, rows o < O (even),
 * positions p < P (a multiple of 16). W comes packed by packPairs: row pairs, each element splatted.
 * The image must be readable up to P + off[K−1]/4 elements past its start. `ranges` (0: none) holds
 * per tile of 16 positions an i32 pair [lo, hi): the taps outside it read only zeros there (rows of
 * padding, arranged by the caller to be contiguous tap ranges) and are skipped.
 */
export function convDirect(
  x: usize, xs: i32, nb: i32, wp: usize, off: usize, K: i32, O: i32, P: i32, out: usize, os: i32, ranges: usize,
): void {
  for (let i = 0; i < nb; i++) {
    const xi = x + (<usize>(i * xs) << 2);
    const oi = out + (<usize>(i * os) << 2);
    // With ranges a tile's first chunk may be skipped: then the output starts zeroed and every chunk
    // adds to it.
    if (ranges) memory.fill(oi, 0, <usize>(O * P) << 2);
    // Taps outermost, then positions, then rows: the chunk's image window (KCHUNK taps × 16
    // positions) stays in L1 across all rows, and so do the chunk's weights across the positions.
    // With rows outermost, images of many channels (CIFAR's 32×34×34 floats) streamed from L2 once
    // per row pair.
    for (let k0 = 0; k0 < K; k0 += KCHUNK) {
      const k1 = min(K, k0 + KCHUNK);
      for (let p = 0; p < P; p += 16) {
        let lo = k0;
        let hi = k1;
        if (ranges) {
          const r = ranges + (<usize>(p >> 4) << 3);
          lo = max(lo, load<i32>(r));
          hi = min(hi, load<i32>(r, 4));
          if (lo >= hi) continue;
        }
        const xp = xi + (<usize>p << 2);
        const w0 = wp + (<usize>(lo * 2) << 4);
        const t = off + (<usize>lo << 2);
        const fresh = k0 == 0 && !ranges;
        for (let o = 0; o < O; o += 2) {
          const c = oi + (<usize>(o * P + p) << 2);
          micro(hi - lo, xp, w0 + (<usize>(o * K) << 4), t, c, P, fresh ? ZEROS : c, fresh ? 0 : P);
        }
      }
    }
  }
}

/**
 * outT[i·os + l·O + o] = Σ_k Wt[k·O + o]·x[i·xs + (pos[l] + off[k])/4] for kept positions l < L
 * (byte offsets pos[l] of each position in the image, L even), o < O (a multiple of 16): the
 * forward with the channels as the vector lanes, for small images whose flat rows waste many
 * positions. Taps in chunks of KCHUNK, each chunk's sums added to the last's (the first's to zeros),
 * as convDirect and the sgemm do: the same bits.
 */
export function convDirectT(
  x: usize, xs: i32, nb: i32, wt: usize, off: usize, K: i32, O: i32, pos: usize, L: i32, outT: usize, os: i32,
): void {
  const ld = <usize>O << 2;
  for (let i = 0; i < nb; i++) {
    const xi = x + (<usize>(i * xs) << 2);
    const oi = outT + (<usize>(i * os) << 2);
    for (let k0 = 0; k0 < K; k0 += KCHUNK) {
      const n = min(KCHUNK, K - k0);
      const t = off + (<usize>k0 << 2);
      for (let l = 0; l < L; l += 2) {
        const xa = xi + <usize>load<i32>(pos + (<usize>l << 2));
        const xb = xi + <usize>load<i32>(pos + (<usize>l << 2), 4);
        const c = oi + <usize>l * ld;
        for (let o = 0; o < O; o += 16) {
          const w = wt + ((<usize>k0 * O + o) << 2);
          const co = c + (<usize>o << 2);
          microT(n, xa, xb, w, ld, t, co, ld, k0 == 0 ? ZEROS : co);
        }
      }
    }
  }
}

/**
 * Two positions (rows c, c + ldc bytes of outT) × 16 channels += Σ over n taps: 8 accumulators,
 * 4 weight vectors and 2 splatted image values. The sums are added to prev's rows (the same or zeros).
 */
function microT(n: i32, xa: usize, xb: usize, w: usize, ldw: usize, off: usize, c: usize, ldc: usize, prev: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
  const end = off + (<usize>n << 2);
  for (; off < end; off += 4, w += ldw) {
    const o = <usize>load<i32>(off);
    const va = v128.load32_splat(xa + o);
    const vb = v128.load32_splat(xb + o);
    const w0 = v128.load(w);
    const w1 = v128.load(w, 16);
    const w2 = v128.load(w, 32);
    const w3 = v128.load(w, 48);
    a0 = fma(w0, va, a0);
    a1 = fma(w1, va, a1);
    a2 = fma(w2, va, a2);
    a3 = fma(w3, va, a3);
    b0 = fma(w0, vb, b0);
    b1 = fma(w1, vb, b1);
    b2 = fma(w2, vb, b2);
    b3 = fma(w3, vb, b3);
  }
  const ldp = prev == ZEROS ? 0 : ldc;
  v128.store(c, f32x4.add(v128.load(prev), a0));
  v128.store(c, f32x4.add(v128.load(prev, 16), a1), 16);
  v128.store(c, f32x4.add(v128.load(prev, 32), a2), 32);
  v128.store(c, f32x4.add(v128.load(prev, 48), a3), 48);
  c += ldc;
  prev += ldp;
  v128.store(c, f32x4.add(v128.load(prev), b0));
  v128.store(c, f32x4.add(v128.load(prev, 16), b1), 16);
  v128.store(c, f32x4.add(v128.load(prev, 32), b2), 32);
  v128.store(c, f32x4.add(v128.load(prev, 48), b3), 48);
}

/**
 * Packs the O×K matrix with element (o, k) at src[o·rs + k·cs] (strides may be negative: a flipped
 * kernel) into row pairs of splatted f32x4: dst[(o/2·Kt + k)·2 + o%2], Kt ≥ K the packed matrix's
 * width (several calls can fill one); an odd O gets a zero last row.
 */
export function packPairs(src: usize, O: i32, K: i32, rs: i32, cs: i32, dst: usize, Kt: i32): void {
  for (let o = 0; o < O; o += 2) {
    const base = dst + (<usize>(o * Kt) << 4);
    for (let k = 0; k < K; k++) {
      const a = load<f32>(src + (<usize>(o * rs + k * cs) << 2));
      const b = o + 1 < O ? load<f32>(src + (<usize>((o + 1) * rs + k * cs) << 2)) : <f32>0;
      v128.store(base + (<usize>k << 5), f32x4.splat(a));
      v128.store(base + (<usize>k << 5), f32x4.splat(b), 16);
    }
  }
}

// @ts-ignore: decorator
@inline
function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * dw[o·ldw + k] += Σ_i Σ_p dy[i·ds + o·P + p]·x[i·xs + off[k]/4 + p] for o < O (even), k < K (a
 * multiple of 4), p < P (a multiple of 4): the weight gradient, dy laid out on the same flat
 * positions with zeros where x ≥ OW. Two rows × four taps per pass, lane sums added per image.
 */
export function convDirectGradW(
  x: usize, xs: i32, nb: i32, dy: usize, ds: i32, off: usize, K: i32, O: i32, P: i32, dw: usize, ldw: i32,
): void {
  for (let o = 0; o < O; o += 2) {
    for (let k = 0; k < K; k += 4) {
      const t = off + (<usize>k << 2);
      const o0 = <usize>load<i32>(t), o1 = <usize>load<i32>(t, 4);
      const o2 = <usize>load<i32>(t, 8), o3 = <usize>load<i32>(t, 12);
      const d = dw + (<usize>(o * ldw + k) << 2);
      for (let i = 0; i < nb; i++) {
        const xi = x + (<usize>(i * xs) << 2);
        const yi = dy + (<usize>(i * ds + o * P) << 2);
        microW(P, xi, o0, o1, o2, o3, yi, yi + (<usize>P << 2), d, ldw);
      }
    }
  }
}

/** One image's 2×4 block of dw: 8 accumulators, 4 shifted image vectors and 2 of dy. */
function microW(
  P: i32, xi: usize, o0: usize, o1: usize, o2: usize, o3: usize, y0: usize, y1: usize, d: usize, ldw: i32,
): void {
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
  let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
  const dy1 = y1 - y0;
  const end = y0 + (<usize>P << 2);
  let q = xi;
  for (let y = y0; y < end; y += 16, q += 16) {
    const x0 = v128.load(q + o0);
    const x1 = v128.load(q + o1);
    const x2 = v128.load(q + o2);
    const x3 = v128.load(q + o3);
    const a = v128.load(y);
    const b = v128.load(y + dy1);
    s00 = fma(a, x0, s00);
    s01 = fma(a, x1, s01);
    s02 = fma(a, x2, s02);
    s03 = fma(a, x3, s03);
    s10 = fma(b, x0, s10);
    s11 = fma(b, x1, s11);
    s12 = fma(b, x2, s12);
    s13 = fma(b, x3, s13);
  }
  store<f32>(d, load<f32>(d) + hsum(s00));
  store<f32>(d, load<f32>(d, 4) + hsum(s01), 4);
  store<f32>(d, load<f32>(d, 8) + hsum(s02), 8);
  store<f32>(d, load<f32>(d, 12) + hsum(s03), 12);
  d += <usize>ldw << 2;
  store<f32>(d, load<f32>(d) + hsum(s10));
  store<f32>(d, load<f32>(d, 4) + hsum(s11), 4);
  store<f32>(d, load<f32>(d, 8) + hsum(s12), 8);
  store<f32>(d, load<f32>(d, 12) + hsum(s13), 12);
}

/**
 * dw[o·ldw + k] += Σ_i Σ_(y<OH, x<OW) dyT[i·ds + (y·OW + x)·O + o]·x[i·xs + off[k]/4 + y·S + x] for
 * o < O (a multiple of 16), k < K (even): the weight gradient with dy transposed to [OH·OW, O], so its
 * channels are the vector lanes and only the kept positions are visited (the flat form computes the
 * S − OW wrapped ones too: 40 % more on LeNet's second layer). Sixteen channels × two taps per pass,
 * lane sums added per image.
 */
export function convDirectGradWT(
  x: usize, xs: i32, nb: i32, dyT: usize, ds: i32, off: usize, K: i32, O: i32, OH: i32, OW: i32, S: i32,
  dw: usize, ldw: i32,
): void {
  for (let o = 0; o < O; o += 16) {
    for (let k = 0; k < K; k += 2) {
      const t = off + (<usize>k << 2);
      const o0 = <usize>load<i32>(t), o1 = <usize>load<i32>(t, 4);
      const d = dw + (<usize>(o * ldw + k) << 2);
      for (let i = 0; i < nb; i++) {
        microWT(x + (<usize>(i * xs) << 2), o0, o1, dyT + (<usize>(i * ds + o) << 2), O, OH, OW, S, d, ldw);
      }
    }
  }
}

/** One image's 16×2 block of dw: 8 accumulators (four channel vectors × two taps). */
function microWT(
  xi: usize, o0: usize, o1: usize, dy: usize, O: i32, OH: i32, OW: i32, S: i32, d: usize, ldw: i32,
): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
  const step = <usize>O << 2;
  for (let y = 0; y < OH; y++) {
    let q = xi + (<usize>(y * S) << 2);
    const end = q + (<usize>OW << 2);
    for (; q < end; q += 4, dy += step) {
      const xa = v128.load32_splat(q + o0);
      const xb = v128.load32_splat(q + o1);
      const d0 = v128.load(dy);
      const d1 = v128.load(dy, 16);
      const d2 = v128.load(dy, 32);
      const d3 = v128.load(dy, 48);
      a0 = fma(d0, xa, a0);
      a1 = fma(d1, xa, a1);
      a2 = fma(d2, xa, a2);
      a3 = fma(d3, xa, a3);
      b0 = fma(d0, xb, b0);
      b1 = fma(d1, xb, b1);
      b2 = fma(d2, xb, b2);
      b3 = fma(d3, xb, b3);
    }
  }
  const ld = <usize>ldw << 2;
  addLanes(d, ld, a0, b0);
  addLanes(d + 4 * ld, ld, a1, b1);
  addLanes(d + 8 * ld, ld, a2, b2);
  addLanes(d + 12 * ld, ld, a3, b3);
}

/** d[l·ld] += lane l of a and d[l·ld + 1] += lane l of b, for the four lanes (ld in bytes). */
// @ts-ignore: decorator
@inline
function addLanes(d: usize, ld: usize, a: v128, b: v128): void {
  store<f32>(d, load<f32>(d) + f32x4.extract_lane(a, 0));
  store<f32>(d, load<f32>(d, 4) + f32x4.extract_lane(b, 0), 4);
  d += ld;
  store<f32>(d, load<f32>(d) + f32x4.extract_lane(a, 1));
  store<f32>(d, load<f32>(d, 4) + f32x4.extract_lane(b, 1), 4);
  d += ld;
  store<f32>(d, load<f32>(d) + f32x4.extract_lane(a, 2));
  store<f32>(d, load<f32>(d, 4) + f32x4.extract_lane(b, 2), 4);
  d += ld;
  store<f32>(d, load<f32>(d) + f32x4.extract_lane(a, 3));
  store<f32>(d, load<f32>(d, 4) + f32x4.extract_lane(b, 3), 4);
}

/** dst[c·drs + r] = src[r·srs + c] for r < rows, c < cols (strides in elements). */
export function transpose(src: usize, rows: i32, cols: i32, srs: i32, dst: usize, drs: i32): void {
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>(r * srs) << 2);
    let t = dst + (<usize>r << 2);
    const dstep = <usize>drs << 2;
    for (let c = 0; c < cols; c++, t += dstep) store<f32>(t, load<f32>(s + (<usize>c << 2)));
  }
}

/**
 * dst = alpha·src + beta·dst (beta 0: dst not read) over `planes` planes of rows × cols elements;
 * plane j's row r at src + (j·sps + r·srs), dst + (j·dps + r·drs) (elements). Moves images into and
 * out of the flat layout (padding, dropping wrapped positions, accumulating gradients).
 */
export function copyPlanes(
  src: usize, sps: i32, srs: i32, dst: usize, dps: i32, drs: i32, planes: i32, rows: i32, cols: i32,
  alpha: f32, beta: f32,
): void {
  const va = f32x4.splat(alpha);
  const vb = f32x4.splat(beta);
  const plain = alpha == 1 && beta == 0;
  for (let j = 0; j < planes; j++) {
    for (let r = 0; r < rows; r++) {
      const s = src + (<usize>(j * sps + r * srs) << 2);
      const t = dst + (<usize>(j * dps + r * drs) << 2);
      if (plain) {
        memory.copy(t, s, <usize>cols << 2);
        continue;
      }
      let c = 0;
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        const v = f32x4.mul(va, v128.load(s + o));
        v128.store(t + o, beta == 0 ? v : f32x4.add(v, f32x4.mul(vb, v128.load(t + o))));
      }
      for (; c < cols; c++) {
        const o = <usize>c << 2;
        const v = alpha * load<f32>(s + o);
        store<f32>(t + o, beta == 0 ? v : v + beta * load<f32>(t + o));
      }
    }
  }
}

/** 1 if every one of the n float32 at p is finite, else 0. */
export function allFinite(p: usize, n: i32): i32 {
  const mask = i32x4.splat(0x7f800000);
  let bad = i32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    // exponent all ones ⇔ ±Inf or NaN
    bad = v128.or(bad, i32x4.eq(v128.and(v128.load(p + (<usize>i << 2)), mask), mask));
  }
  for (; i < n; i++) if ((load<i32>(p + (<usize>i << 2)) & 0x7f800000) == 0x7f800000) return 0;
  return v128.any_true(bad) ? 0 : 1;
}
