// WebAssembly SGD update (float32, in place), bit-identical to the reference kernel in
// src/kernels.ts, which is torch 1.13's single-tensor SGD with every step rounded to float32:
//   d = fr(g + wd·w)                       (weight decay, when wd ≠ 0)
//   b = first ? d : fr(fr(b·μ) + (1−τ)·d)   (momentum buffer, when there is one)
//   d = nesterov ? fr(d + μ·b) : b
//   w = fr(w + (−lr)·d)
// Each "x + y·z" is computed as JavaScript does it: y·z exactly in double (two float32 factors),
// the sum rounded to double, then to float32 — so in f64 here too; b·μ is one float32 product.
// Pointers are byte offsets into linear memory; the scalars arrive already rounded to float32.

// @ts-ignore: decorator
@inline
function fr(x: f64): f32 {
  return <f32>x;
}

/** flags: 1 a momentum buffer at b, 2 its first step (b = d), 4 Nesterov. */
export function sgdStep(w: usize, g: usize, b: usize, n: i32, wd: f32, mom: f32, oneMinusDamp: f32, negLr: f32, flags: i32): void {
  const buf = (flags & 1) != 0;
  const first = (flags & 2) != 0;
  const nesterov = (flags & 4) != 0;
  const dwd = <f64>wd;
  const dmom = <f64>mom;
  const domd = <f64>oneMinusDamp;
  const dlr = <f64>negLr;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const wi = load<f32>(w + o);
    let d = load<f32>(g + o);
    if (wd != 0) d = fr(<f64>d + dwd * <f64>wi);
    if (buf) {
      const bi = first ? d : fr(<f64>(load<f32>(b + o) * mom) + domd * <f64>d);
      store<f32>(b + o, bi);
      d = nesterov ? fr(<f64>d + dmom * <f64>bi) : bi;
    }
    store<f32>(w + o, fr(<f64>wi + dlr * <f64>d));
  }
}
