// WebAssembly batch-norm kernels: float32 data [n, c, s], float64 arithmetic, the reference
// kernels' operations in their order (src/kernels.ts), so the same bits. Sums run in storage order
// per channel (one dependent chain, as in the reference: reordering them would change the last
// bits), but the chains of different channels overlap: two channels share an f64x2 and two such
// pairs run side by side (see pairReduce). The elementwise passes run two lanes of f64x2 at a time
// (each lane the reference's expression, rounded to float32 once). Pointers are byte offsets into
// linear memory.

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
  channelSums(x, n, c, s, mean);
  for (let ch = 0; ch < c; ch++) store<f64>(mean + (<usize>ch << 3), load<f64>(mean + (<usize>ch << 3)) / m);
  // Two passes (mean, then squared deviations) keep the variance accurate for large means.
  let ch = 0;
  for (; ch + 4 <= c; ch += 4) sqDevPairs(x, n, c, s, ch, true, mean, biasedVar);
  if (ch + 2 <= c) {
    sqDevPairs(x, n, c, s, ch, false, mean, biasedVar);
    ch += 2;
  }
  if (ch < c) {
    const mu = load<f64>(mean + (<usize>ch << 3));
    const stride = <usize>(c * s) << 2;
    let sq: f64 = 0;
    for (let i = 0, base = x + (<usize>(ch * s) << 2); i < n; i++, base += stride) {
      for (let k = 0; k < s; k++) {
        const d = <f64>load<f32>(base + (<usize>k << 2)) - mu;
        sq += d * d;
      }
    }
    store<f64>(biasedVar + (<usize>ch << 3), sq);
  }
  for (ch = 0; ch < c; ch++)
    store<f64>(biasedVar + (<usize>ch << 3), load<f64>(biasedVar + (<usize>ch << 3)) / m);
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
  // Σdy·(x − mean) to sums[ch] and Σdy to sums[c + ch], channels side by side; the odd one out alone.
  let pair = 0;
  for (; pair + 4 <= c; pair += 4) gradPairs(dy, x, n, c, s, pair, true, mean, sums);
  if (pair + 2 <= c) {
    gradPairs(dy, x, n, c, s, pair, false, mean, sums);
    pair += 2;
  }
  if (pair < c) {
    const mc = load<f64>(mean + (<usize>pair << 3));
    let sumDy: f64 = 0;
    let sumDyXc: f64 = 0;
    for (let i = 0, o = <usize>(pair * s) << 2; i < n; i++, o += stride) {
      for (let k = 0; k < s; k++) {
        const e = o + (<usize>k << 2);
        const g = <f64>load<f32>(dy + e);
        sumDy += g;
        sumDyXc += g * (<f64>load<f32>(x + e) - mc);
      }
    }
    store<f64>(sums + (<usize>pair << 3), sumDyXc);
    store<f64>(sums + (<usize>(c + pair) << 3), sumDy);
  }
  for (let ch = 0; ch < c; ch++) {
    const mc = load<f64>(mean + (<usize>ch << 3));
    const ic = load<f64>(invStd + (<usize>ch << 3));
    const first = <usize>(ch * s) << 2;
    const sumDyXc = load<f64>(sums + (<usize>ch << 3));
    const sumDy = load<f64>(sums + (<usize>(c + ch) << 3));
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

/** out[ch] = Σ over channel ch's n·s values of [n, c, s], in double and in storage order (f64 out). */
export function channelSums(x: usize, n: i32, c: i32, s: i32, out: usize): void {
  let ch = 0;
  for (; ch + 4 <= c; ch += 4) sumPairs(x, n, c, s, ch, true, out);
  if (ch + 2 <= c) {
    sumPairs(x, n, c, s, ch, false, out);
    ch += 2;
  }
  if (ch < c) store<f64>(out + (<usize>ch << 3), channelSum(x, ch, n, c, s));
}

// pairReduce's modes: what each channel's chain adds per value.
const SUM = 0; // x
const SQ_DEV = 1; // (x − mean)²
const GRAD = 2; // dy·(x − mean) to out, and dy to out2 (a second chain)

/**
 * One channel's reduction is a chain of dependent adds (~3 cycles each). Here channels ch, ch + 1
 * share an f64x2 (and ch + 2, ch + 3 a second one when `two`), so two to four chains overlap, while
 * each lane still adds its own channel's terms one at a time in storage order: the reference's bits.
 * `mode` is a literal at every call (each compiles to its own loop). Results go to out[ch..] (and
 * out2[ch..]); mean: f64 per channel (SQ_DEV, GRAD).
 */
// @ts-ignore: decorator
@inline
function pairReduce(
  mode: i32, x: usize, dy: usize, n: i32, c: i32, s: i32, ch: i32, two: bool, mean: usize, out: usize, out2: usize,
): void {
  const zero = f64x2.splat(0);
  const muP = mode == SUM ? zero : v128.load(mean + (<usize>ch << 3));
  const muQ = mode == SUM || !two ? zero : v128.load(mean + (<usize>(ch + 2) << 3));
  let p = zero;
  let q = zero;
  let p2 = zero; // GRAD's Σdy
  let q2 = zero;
  const plane = <usize>s << 2;
  const s4 = s & ~3;
  for (let i = 0; i < n; i++) {
    const at = <usize>((i * c + ch) * s) << 2;
    const a = x + at;
    const b = a + plane;
    const ga = dy + at;
    const gb = ga + plane;
    let k = 0;
    for (; k < s4; k += 4) {
      const o = <usize>k << 2;
      if (mode == GRAD) {
        const u = v128.load(ga + o);
        const v = v128.load(gb + o);
        p = addFourDot(p, u, v, v128.load(a + o), v128.load(b + o), muP);
        p2 = addFour(p2, u, v);
        if (two) {
          const u2 = v128.load(gb + plane + o);
          const v2 = v128.load(gb + 2 * plane + o);
          q = addFourDot(q, u2, v2, v128.load(b + plane + o), v128.load(b + 2 * plane + o), muQ);
          q2 = addFour(q2, u2, v2);
        }
      } else if (mode == SQ_DEV) {
        p = addFourSq(p, v128.load(a + o), v128.load(b + o), muP);
        if (two) q = addFourSq(q, v128.load(b + plane + o), v128.load(b + 2 * plane + o), muQ);
      } else {
        p = addFour(p, v128.load(a + o), v128.load(b + o));
        if (two) q = addFour(q, v128.load(b + plane + o), v128.load(b + 2 * plane + o));
      }
    }
    for (; k < s; k++) {
      const o = <usize>k << 2;
      const xp = pairOf(a + o, b + o);
      const xq = two ? pairOf(b + plane + o, b + 2 * plane + o) : zero;
      if (mode == GRAD) {
        const gp = pairOf(ga + o, gb + o);
        p = f64x2.add(p, f64x2.mul(gp, f64x2.sub(xp, muP)));
        p2 = f64x2.add(p2, gp);
        if (two) {
          const gq = pairOf(gb + plane + o, gb + 2 * plane + o);
          q = f64x2.add(q, f64x2.mul(gq, f64x2.sub(xq, muQ)));
          q2 = f64x2.add(q2, gq);
        }
      } else if (mode == SQ_DEV) {
        const dp = f64x2.sub(xp, muP);
        p = f64x2.add(p, f64x2.mul(dp, dp));
        if (two) {
          const dq = f64x2.sub(xq, muQ);
          q = f64x2.add(q, f64x2.mul(dq, dq));
        }
      } else {
        p = f64x2.add(p, xp);
        if (two) q = f64x2.add(q, xq);
      }
    }
  }
  v128.store(out + (<usize>ch << 3), p);
  if (two) v128.store(out + (<usize>(ch + 2) << 3), q);
  if (mode == GRAD) {
    v128.store(out2 + (<usize>ch << 3), p2);
    if (two) v128.store(out2 + (<usize>(ch + 2) << 3), q2);
  }
}

// One compiled loop per mode (`two` is a runtime flag: a predictable branch).
function sumPairs(x: usize, n: i32, c: i32, s: i32, ch: i32, two: bool, out: usize): void {
  pairReduce(SUM, x, 0, n, c, s, ch, two, 0, out, 0);
}
function sqDevPairs(x: usize, n: i32, c: i32, s: i32, ch: i32, two: bool, mean: usize, out: usize): void {
  pairReduce(SQ_DEV, x, 0, n, c, s, ch, two, mean, out, 0);
}
function gradPairs(dy: usize, x: usize, n: i32, c: i32, s: i32, ch: i32, two: bool, mean: usize, sums: usize): void {
  pairReduce(GRAD, x, dy, n, c, s, ch, two, mean, sums, sums + (<usize>c << 3));
}

/** (f64 of the float32 at pa, f64 of the float32 at pb). */
// @ts-ignore: decorator
@inline
function pairOf(pa: usize, pb: usize): v128 {
  return f64x2.replace_lane(f64x2.splat(<f64>load<f32>(pa)), 1, <f64>load<f32>(pb));
}

/** (u[j], v[j]) in double; j is a literal at every call. */
// @ts-ignore: decorator
@inline
function lanePair(u: v128, v: v128, j: i32): v128 {
  if (j == 0) return f64x2.promote_low_f32x4(v128.shuffle<f32>(u, v, 0, 4, 0, 4));
  if (j == 1) return f64x2.promote_low_f32x4(v128.shuffle<f32>(u, v, 1, 5, 1, 5));
  if (j == 2) return f64x2.promote_low_f32x4(v128.shuffle<f32>(u, v, 2, 6, 2, 6));
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(u, v, 3, 7, 3, 7));
}

/** acc + (u0, v0) + (u1, v1) + (u2, v2) + (u3, v3), one add at a time. */
// @ts-ignore: decorator
@inline
function addFour(acc: v128, u: v128, v: v128): v128 {
  acc = f64x2.add(acc, lanePair(u, v, 0));
  acc = f64x2.add(acc, lanePair(u, v, 1));
  acc = f64x2.add(acc, lanePair(u, v, 2));
  return f64x2.add(acc, lanePair(u, v, 3));
}

/** acc + d0² + d1² + d2² + d3², d = (u[j], v[j]) − mu, one add at a time. */
// @ts-ignore: decorator
@inline
function addFourSq(acc: v128, u: v128, v: v128, mu: v128): v128 {
  let d = f64x2.sub(lanePair(u, v, 0), mu);
  acc = f64x2.add(acc, f64x2.mul(d, d));
  d = f64x2.sub(lanePair(u, v, 1), mu);
  acc = f64x2.add(acc, f64x2.mul(d, d));
  d = f64x2.sub(lanePair(u, v, 2), mu);
  acc = f64x2.add(acc, f64x2.mul(d, d));
  d = f64x2.sub(lanePair(u, v, 3), mu);
  return f64x2.add(acc, f64x2.mul(d, d));
}

/** acc + Σ_j (gu[j], gv[j])·((xu[j], xv[j]) − mu), one add at a time. */
// @ts-ignore: decorator
@inline
function addFourDot(acc: v128, gu: v128, gv: v128, xu: v128, xv: v128, mu: v128): v128 {
  acc = f64x2.add(acc, f64x2.mul(lanePair(gu, gv, 0), f64x2.sub(lanePair(xu, xv, 0), mu)));
  acc = f64x2.add(acc, f64x2.mul(lanePair(gu, gv, 1), f64x2.sub(lanePair(xu, xv, 1), mu)));
  acc = f64x2.add(acc, f64x2.mul(lanePair(gu, gv, 2), f64x2.sub(lanePair(xu, xv, 2), mu)));
  return f64x2.add(acc, f64x2.mul(lanePair(gu, gv, 3), f64x2.sub(lanePair(xu, xv, 3), mu)));
}
