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
