// WebAssembly SIMD Adam update (float32, in place), bit-identical to the reference kernel in
// src/kernels.ts, which is torch 1.13's single-tensor Adam:
//   m = fr(fr(m·β₁) + (1−β₁)·g)          the add in double, like the JS reference
//   v = fr(v·β₂) + fr(fr((1−β₂)·g)·g)     float32 throughout
//   w = w + (−lr/bc₁)·m / (√v / √bc₂ + eps)
// A single float32 +, −, ×, ÷ or √ equals the same op done in double and rounded once (53 ≥ 2·24+2
// bits), so those run as f32x4; only m's "a + b·c" needs f64x2 to round where the reference does.
// Pointers are byte offsets into linear memory; the scalars arrive already rounded to float32.

export function adamStep(
  w: usize, g: usize, m: usize, v: usize, n: i32,
  b1: f32, b2: f32, oneMinusB1: f32, oneMinusB2: f32, negStepSize: f32, bc2Sqrt: f32, eps: f32,
): void {
  const vb1 = f32x4.splat(b1);
  const vb2 = f32x4.splat(b2);
  const vomb2 = f32x4.splat(oneMinusB2);
  const vneg = f32x4.splat(negStepSize);
  const vbc2 = f32x4.splat(bc2Sqrt);
  const veps = f32x4.splat(eps);
  const domb1 = f64x2.splat(<f64>oneMinusB1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const mb = f32x4.mul(v128.load(m + o), vb1);
    const lo = f64x2.add(f64x2.promote_low_f32x4(mb), f64x2.mul(domb1, f64x2.promote_low_f32x4(gi)));
    const mbHi = v128.shuffle<f32>(mb, mb, 2, 3, 2, 3);
    const gHi = v128.shuffle<f32>(gi, gi, 2, 3, 2, 3);
    const hi = f64x2.add(f64x2.promote_low_f32x4(mbHi), f64x2.mul(domb1, f64x2.promote_low_f32x4(gHi)));
    const mi = v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
    v128.store(m + o, mi);
    const vi = f32x4.add(f32x4.mul(v128.load(v + o), vb2), f32x4.mul(f32x4.mul(vomb2, gi), gi));
    v128.store(v + o, vi);
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vi), vbc2), veps);
    v128.store(w + o, f32x4.add(v128.load(w + o), f32x4.div(f32x4.mul(vneg, mi), denom)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const mi = <f32>(<f64>(load<f32>(m + o) * b1) + <f64>oneMinusB1 * <f64>gi);
    store<f32>(m + o, mi);
    const vi = load<f32>(v + o) * b2 + oneMinusB2 * gi * gi;
    store<f32>(v + o, vi);
    const denom = Mathf.sqrt(vi) / bc2Sqrt + eps;
    store<f32>(w + o, load<f32>(w + o) + (negStepSize * mi) / denom);
  }
}
