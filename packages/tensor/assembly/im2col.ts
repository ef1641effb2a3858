// WebAssembly im2col (float32), the layout of the reference kernel in src/kernels.ts: the `C`
// channels of one [C, H, W] image at x unfold into col [C·kh·kw, OH·OW] (rows ldcol elements apart,
// so several images can sit side by side), zeros where the window falls in padding. Each (channel, ki, kj, oh) row segment copies its in-bounds run with 16-byte
// loads/stores when stride is 1 (JS moves ~1 element per ns; this moves 4 per instruction).
// Pointers are byte offsets into linear memory.

export function im2col(
  x: usize,
  C: i32,
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
  col: usize,
  ldcol: i32,
): void {
  const rowBytes = <usize>OW << 2;
  const rowStride = <usize>ldcol << 2;
  let o = col;
  let row = 0;
  for (let c = 0; c < C; c++) {
    const plane = x + (<usize>(c * H * W) << 2);
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        // ow in [lo, hi) reads columns w = ow·sw + w0 inside [0, W).
        const w0 = kj * dw - pw;
        const lo = w0 >= 0 ? 0 : min(OW, (sw - 1 - w0) / sw);
        const hi = W - w0 <= 0 ? lo : max(lo, min(OW, (W - w0 + sw - 1) / sw));
        const n = hi - lo;
        // one col row per (c, ki, kj): OH segments of OW; rows are ldcol elements apart
        o = col + <usize>row * rowStride;
        row++;
        // Stride 1 with every window row and column inside the image (no padding, e.g. LeNet): the
        // segments are plain copies of OW elements, one input row apart.
        const h0 = ki * dh - ph;
        if (sw == 1 && sh == 1 && lo == 0 && hi == OW && h0 >= 0 && h0 + OH <= H) {
          let src = plane + (<usize>(h0 * W + w0) << 2);
          const srcStep = <usize>W << 2;
          for (let oh = 0; oh < OH; oh++, o += rowBytes, src += srcStep) {
            let i = 0;
            for (; i + 4 <= OW; i += 4) v128.store(o + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
            for (; i < OW; i++) store<i32>(o + (<usize>i << 2), load<i32>(src + (<usize>i << 2)));
          }
          continue;
        }
        for (let oh = 0; oh < OH; oh++, o += rowBytes) {
          const h = oh * sh - ph + ki * dh;
          if (h < 0 || h >= H || n == 0) {
            memory.fill(o, 0, rowBytes);
            continue;
          }
          if (lo > 0) memory.fill(o, 0, <usize>lo << 2);
          let src = plane + (<usize>(h * W + w0 + lo * sw) << 2);
          let dst = o + (<usize>lo << 2);
          if (sw == 1) {
            let i = 0;
            for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
            for (; i < n; i++) store<i32>(dst + (<usize>i << 2), load<i32>(src + (<usize>i << 2)));
          } else {
            const step = <usize>sw << 2;
            for (let i = 0; i < n; i++, dst += 4, src += step) store<i32>(dst, load<i32>(src));
          }
          if (hi < OW) memory.fill(o + (<usize>hi << 2), 0, <usize>(OW - hi) << 2);
        }
      }
    }
  }
}

/**
 * Adjoint of im2col: adds col [C·kh·kw, OH·OW] (rows ldcol apart) back into the [C, H, W] image at dx, visiting
 * (channel, ki, kj, oh, ow) in the reference kernel's order, so every dx element receives its
 * terms in the same sequence (4 neighbouring ow at a time touch 4 distinct elements when sw = 1).
 */
export function col2im(
  col: usize,
  C: i32,
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
  dx: usize,
  ldcol: i32,
): void {
  const rowBytes = <usize>OW << 2;
  const rowStride = <usize>ldcol << 2;
  let o = col;
  let row = 0;
  for (let c = 0; c < C; c++) {
    const plane = dx + (<usize>(c * H * W) << 2);
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        const w0 = kj * dw - pw;
        const lo = w0 >= 0 ? 0 : min(OW, (sw - 1 - w0) / sw);
        const hi = W - w0 <= 0 ? lo : max(lo, min(OW, (W - w0 + sw - 1) / sw));
        const n = hi - lo;
        o = col + <usize>row * rowStride;
        row++;
        for (let oh = 0; oh < OH; oh++, o += rowBytes) {
          const h = oh * sh - ph + ki * dh;
          if (h < 0 || h >= H || n == 0) continue;
          let dst = plane + (<usize>(h * W + w0 + lo * sw) << 2);
          let src = o + (<usize>lo << 2);
          if (sw == 1) {
            let i = 0;
            for (; i + 4 <= n; i += 4) {
              const d = dst + (<usize>i << 2);
              v128.store(d, f32x4.add(v128.load(d), v128.load(src + (<usize>i << 2))));
            }
            for (; i < n; i++) {
              const d = dst + (<usize>i << 2);
              store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>i << 2)));
            }
          } else {
            const step = <usize>sw << 2;
            for (let i = 0; i < n; i++, dst += step, src += 4) store<f32>(dst, load<f32>(dst) + load<f32>(src));
          }
        }
      }
    }
  }
}
