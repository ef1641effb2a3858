// WebAssembly batch-norm kernels: float32 data [n, c, s], float64 arithmetic, the reference
// kernels' operations in their order (src/kernels.ts), so the same bits. Sums run in storage order
// per channel (one dependent chain, as in the reference: reordering them would change the last
// bits); the elementwise passes run two lanes of f64x2 at a time (each lane the reference's
// expression, rounded to float32 once). Pointers are byte offsets into linear memory.

/** Σ over channel ch's n·s values of [n, c, s] at x, in double and in storage order. */
// @ts-ignore: decorator
@inline
function channelSum(x: usize, ch: i32, n: i32, c: i32, s: i32): f64 {
  const stride = <usize>(c * s) << 2;
  let acc: f64 = 0;
  for (let i = 0, base = x + (<usize>(ch * s) << 2); i < n; i++, base += stride) {
    for (let k = 0; k < s; k++) acc += <f64>load<f32>(base + (<usize>k << 2));
  }
  return acc;
}

/** mean[ch] = Σx/m, biasedVar[ch] = Σ(x − mean)²/m over channel ch's n·s values (m = n·s); f64 out. */
export function bnMoments(x: usize, n: i32, c: i32, s: i32, mean: usize, biasedVar: usize): void {
  const m = <f64>n * <f64>s;
  const stride = <usize>(c * s) << 2;
  for (let ch = 0; ch < c; ch++) {
    const first = x + (<usize>(ch * s) << 2);
    const mu = channelSum(x, ch, n, c, s) / m;
    let sq: f64 = 0;
    for (let i = 0, base = first; i < n; i++, base += stride) {
      for (let k = 0; k < s; k++) {
        const d = <f64>load<f32>(base + (<usize>k << 2)) - mu;
        sq += d * d;
      }
    }
    store<f64>(mean + (<usize>ch << 3), mu);
    store<f64>(biasedVar + (<usize>ch << 3), sq / m);
  }
}

/** out = x·scale[ch] + shift[ch] (in double, rounded to float32 once); scale, shift f64 [c]. */
export function bnApply(x: usize, n: i32, c: i32, s: i32, scale: usize, shift: usize, out: usize): void {
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const o = <usize>((i * c + ch) * s) << 2;
      const sc = load<f64>(scale + (<usize>ch << 3));
      const sh = load<f64>(shift + (<usize>ch << 3));
      lanes(x + o, 0, out + o, s, sc, 0, sh, false, true);
    }
  }
}

/**
 * out[k] = g[k]·a, plus y[k]·b when `withY`, plus c0 when `withC0`, each lane in double and in the
 * reference's order (((g·a) + (y·b)) + c0), rounded to float32 once. The flags are constants at every
 * call, so each use compiles to its own loop: a term that is absent is not added as a zero (x·0 would
 * turn an infinite x into NaN, and −0 + 0 is +0).
 */
// @ts-ignore: decorator
@inline
function lanes(g: usize, y: usize, out: usize, s: i32, a: f64, b: f64, c0: f64, withY: bool, withC0: bool): void {
  const va = f64x2.splat(a);
  const vb = f64x2.splat(b);
  const vc = f64x2.splat(c0);
  let k = 0;
  for (; k + 4 <= s; k += 4) {
    const o = <usize>k << 2;
    const gv = v128.load(g + o);
    let lo = f64x2.mul(f64x2.promote_low_f32x4(gv), va);
    let hi = f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(gv, gv, 2, 3, 2, 3)), va);
    if (withY) {
      const yv = v128.load(y + o);
      lo = f64x2.add(lo, f64x2.mul(f64x2.promote_low_f32x4(yv), vb));
      hi = f64x2.add(hi, f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(yv, yv, 2, 3, 2, 3)), vb));
    }
    if (withC0) {
      lo = f64x2.add(lo, vc);
      hi = f64x2.add(hi, vc);
    }
    v128.store(out + o, v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
  }
  for (; k < s; k++) {
    const o = <usize>k << 2;
    let v = <f64>load<f32>(g + o) * a;
    if (withY) v += <f64>load<f32>(y + o) * b;
    if (withC0) v += c0;
    store<f32>(out + o, <f32>v);
  }
}

/**
 * Backward over channel ch: sums[ch] = Σdy·(x − mean)·invStd, sums[c + ch] = Σdy (storage order),
 * then in training dx = dy·a + x·kx + c0 with the reference's per-channel constants, in eval
 * dx = dy·w·invStd. weight: f64 [c], or 0 for ones.
 */
export function bnGrad(
  dy: usize, x: usize, n: i32, c: i32, s: i32, mean: usize, invStd: usize, weight: usize, dx: usize, sums: usize,
  training: bool,
): void {
  const m = <f64>n * <f64>s;
  const stride = <usize>(c * s) << 2;
  for (let ch = 0; ch < c; ch++) {
    const mc = load<f64>(mean + (<usize>ch << 3));
    const ic = load<f64>(invStd + (<usize>ch << 3));
    const first = <usize>(ch * s) << 2;
    let sumDy: f64 = 0;
    let sumDyXc: f64 = 0;
    for (let i = 0, o = first; i < n; i++, o += stride) {
      for (let k = 0; k < s; k++) {
        const e = o + (<usize>k << 2);
        const g = <f64>load<f32>(dy + e);
        sumDy += g;
        sumDyXc += g * (<f64>load<f32>(x + e) - mc);
      }
    }
    const sumDyXhat = sumDyXc * ic;
    store<f64>(sums + (<usize>ch << 3), sumDyXhat);
    store<f64>(sums + (<usize>(c + ch) << 3), sumDy);
    const scale = (weight == 0 ? 1 : load<f64>(weight + (<usize>ch << 3))) * ic;
    if (!training) {
      for (let i = 0, o = first; i < n; i++, o += stride) lanes(dy + o, 0, dx + o, s, scale, 0, 0, false, false);
      continue;
    }
    const k1 = (ic * sumDyXhat) / m;
    const kx = -scale * k1;
    const c0 = scale * (mc * k1 - sumDy / m);
    for (let i = 0, o = first; i < n; i++, o += stride) lanes(dy + o, x + o, dx + o, s, scale, kx, c0, true, true);
  }
}

/**
 * out[ch] = Σ over channel ch's n·s values of [n, c, s], in double and in storage order (f64 out).
 * One channel's sum is a chain of dependent adds (~3 cycles each): two channels share an f64x2 and
 * two such pairs run side by side, so four chains overlap. Each lane still adds its own channel's
 * values one at a time in storage order, so the bits are the reference's.
 */
export function channelSums(x: usize, n: i32, c: i32, s: i32, out: usize): void {
  let ch = 0;
  for (; ch + 4 <= c; ch += 4) pairSums(x, n, c, s, ch, true, out);
  if (ch + 2 <= c) {
    pairSums(x, n, c, s, ch, false, out);
    ch += 2;
  }
  if (ch < c) store<f64>(out + (<usize>ch << 3), channelSum(x, ch, n, c, s));
}

/** Channels ch, ch + 1 (and ch + 2, ch + 3 when `two`) summed as channelSum does, stored at out[ch..]. */
function pairSums(x: usize, n: i32, c: i32, s: i32, ch: i32, two: bool, out: usize): void {
  let p = f64x2.splat(0);
  let q = f64x2.splat(0);
  const plane = <usize>s << 2;
  const s4 = s & ~3;
  for (let i = 0; i < n; i++) {
    const a = x + (<usize>((i * c + ch) * s) << 2);
    const b = a + plane;
    let k = 0;
    for (; k < s4; k += 4) {
      const o = <usize>k << 2;
      p = addFour(p, v128.load(a + o), v128.load(b + o));
      if (two) q = addFour(q, v128.load(b + plane + o), v128.load(b + 2 * plane + o));
    }
    for (; k < s; k++) {
      const o = <usize>k << 2;
      p = f64x2.add(p, f64x2.replace_lane(f64x2.splat(<f64>load<f32>(a + o)), 1, <f64>load<f32>(b + o)));
      if (two) {
        const lo = <f64>load<f32>(b + plane + o);
        q = f64x2.add(q, f64x2.replace_lane(f64x2.splat(lo), 1, <f64>load<f32>(b + 2 * plane + o)));
      }
    }
  }
  v128.store(out + (<usize>ch << 3), p);
  if (two) v128.store(out + (<usize>(ch + 2) << 3), q);
}

/** acc + (u0, v0) + (u1, v1) + (u2, v2) + (u3, v3), one add at a time: four storage-order steps of two chains. */
// @ts-ignore: decorator
@inline
function addFour(acc: v128, u: v128, v: v128): v128 {
  const lo = v128.shuffle<f32>(u, v, 0, 4, 1, 5);
  const hi = v128.shuffle<f32>(u, v, 2, 6, 3, 7);
  acc = f64x2.add(acc, f64x2.promote_low_f32x4(lo));
  acc = f64x2.add(acc, f64x2.promote_low_f32x4(v128.shuffle<f32>(lo, lo, 2, 3, 2, 3)));
  acc = f64x2.add(acc, f64x2.promote_low_f32x4(hi));
  return f64x2.add(acc, f64x2.promote_low_f32x4(v128.shuffle<f32>(hi, hi, 2, 3, 2, 3)));
}
