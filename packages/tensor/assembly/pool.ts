// WebAssembly max pooling (float32), the semantics of the reference kernel in src/kernels.ts:
// strict > keeps the first max on ties, every NaN takes over (the last NaN wins, like PyTorch's CPU
// kernel), a window that saw only padding gives -Infinity and argmax -1. The running max and its index move with `select` on integer
// bits, not branches: on real activations "is this bigger?" is a coin flip that a branch
// mispredicts half the time. Pointers are byte offsets into linear memory; argmax 0 = none.

export function maxPool2d(
  x: usize,
  planes: i32,
  H: i32,
  W: i32,
  OH: i32,
  OW: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  ph: i32,
  pw: i32,
  dh: i32,
  dw: i32,
  out: usize,
  argmax: usize,
): void {
  // every window inside the image (ceil mode can add windows that hang over the edge)
  if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1 && 2 * OH <= H && 2 * OW <= W) {
    pool2x2(x, planes, H, W, OH, OW, out, argmax);
    return;
  }
  let o: usize = 0;
  for (let p = 0; p < planes; p++) {
    const base = x + (<usize>(p * H * W) << 2);
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * sh - ph;
      for (let ow = 0; ow < OW; ow++, o++) {
        const w0 = ow * sw - pw;
        let mb: i32 = 0xff800000; // -Infinity
        let am: i32 = -1;
        for (let ki = 0; ki < kh; ki++) {
          const h = h0 + ki * dh;
          if (h < 0 || h >= H) continue;
          for (let kj = 0; kj < kw; kj++) {
            const w = w0 + kj * dw;
            if (w < 0 || w >= W) continue;
            const idx = h * W + w;
            const vb = load<i32>(base + (<usize>idx << 2));
            const v = reinterpret<f32>(vb);
            const m = reinterpret<f32>(mb);
            const take = <i32>(am < 0) | <i32>(v > m) | <i32>(v != v);
            mb = select<i32>(vb, mb, take != 0);
            am = select<i32>(idx, am, take != 0);
          }
        }
        store<i32>(out + (o << 2), mb);
        if (argmax != 0) store<i32>(argmax + (o << 2), am);
      }
    }
  }
}

/**
 * 2×2 windows, stride 2, no padding (LeNet's and most CNNs' pooling), four outputs at once: the
 * window's elements in the same order as the general loop (row 0: left, right; row 1: left, right),
 * each taken when greater than the running max or NaN, exactly as there (the first element always).
 * Outputs left over at the end of a row go through the scalar rule.
 */
function pool2x2(x: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32, out: usize, argmax: usize): void {
  let o: usize = 0;
  // Rows of 4 or more windows run four at a time; when the width is not a multiple of 4 the last
  // four overlap the ones before and recompute some to the same values (cheaper than the scalar
  // loop for up to three). Narrower rows take the scalar loop.
  const vecEnd = OW >= 4 ? (OW + 3) & ~3 : 0;
  for (let p = 0; p < planes; p++) {
    const base = x + (<usize>(p * H * W) << 2);
    for (let oh = 0; oh < OH; oh++, o += <usize>OW) {
      const r0 = base + (<usize>(2 * oh * W) << 2);
      const r1 = r0 + (<usize>W << 2);
      const i0 = 2 * oh * W;
      for (let v = 0; v < vecEnd; v += 4) {
        const ow = min(v, OW - 4);
        const c = <usize>(2 * ow) << 2;
        const a0 = v128.load(r0 + c);
        const a1 = v128.load(r0 + c, 16);
        const b0 = v128.load(r1 + c);
        const b1 = v128.load(r1 + c, 16);
        // columns 2·ow (left) and 2·ow + 1 (right) of the four windows
        const tl = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
        const tr = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
        const bl = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
        const br = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        const first = i32x4.add(i32x4.splat(i0 + 2 * ow), i32x4(0, 2, 4, 6));
        let m = tl;
        let am = first;
        let take = v128.or(f32x4.gt(tr, m), f32x4.ne(tr, tr));
        m = v128.bitselect(tr, m, take);
        am = v128.bitselect(i32x4.add(first, i32x4.splat(1)), am, take);
        take = v128.or(f32x4.gt(bl, m), f32x4.ne(bl, bl));
        m = v128.bitselect(bl, m, take);
        am = v128.bitselect(i32x4.add(first, i32x4.splat(W)), am, take);
        take = v128.or(f32x4.gt(br, m), f32x4.ne(br, br));
        m = v128.bitselect(br, m, take);
        am = v128.bitselect(i32x4.add(first, i32x4.splat(W + 1)), am, take);
        v128.store(out + ((o + <usize>ow) << 2), m);
        if (argmax != 0) v128.store(argmax + ((o + <usize>ow) << 2), am);
      }
      for (let ow = vecEnd > 0 ? OW : 0; ow < OW; ow++) {
        let mb: i32 = 0;
        let am: i32 = -1;
        for (let k = 0; k < 4; k++) {
          const idx = i0 + 2 * ow + (k >> 1) * W + (k & 1);
          const vb = load<i32>(base + (<usize>idx << 2));
          const v = reinterpret<f32>(vb);
          const take = <i32>(am < 0) | <i32>(v > reinterpret<f32>(mb)) | <i32>(v != v);
          mb = select<i32>(vb, mb, take != 0);
          am = select<i32>(idx, am, take != 0);
        }
        store<i32>(out + ((o + <usize>ow) << 2), mb);
        if (argmax != 0) store<i32>(argmax + ((o + <usize>ow) << 2), am);
      }
    }
  }
}

/**
 * Max pooling's backward: dx (planes·HW floats, zeroed here) gets each output's dy added at its
 * argmax in its plane, outputs in order (overlapping windows add in the reference's order); argmax
 * −1 = the window saw only padding. Returns the first output whose argmax is HW or more (dx is then
 * incomplete), or −1.
 */
export function maxPool2dGrad(dy: usize, argmax: usize, planes: i32, n: i32, HW: i32, dx: usize): i32 {
  memory.fill(dx, 0, <usize>(planes * HW) << 2);
  for (let p = 0; p < planes; p++) {
    const plane = dx + (<usize>(p * HW) << 2);
    const o = p * n;
    for (let i = 0; i < n; i++) {
      const a = load<i32>(argmax + (<usize>(o + i) << 2));
      if (a >= HW) return o + i;
      if (a >= 0) {
        const d = plane + (<usize>a << 2);
        store<f32>(d, load<f32>(d) + load<f32>(dy + (<usize>(o + i) << 2)));
      }
    }
  }
  return -1;
}
