// float32 sigmoid and tanh evaluated in double (f64x2), for float32 results. V8's Math.exp and
// Math.tanh are scalar calls into C (~19 and ~33 ns each here); this is a few ns per element.
// The double evaluation has ~1e-16 relative error, so rounding to float32 gives the correctly
// rounded result except for inputs whose exact result lies within that distance of a rounding
// boundary (in tests: none in millions of inputs); then it is 1 ulp off. Plain mul/add (no relaxed
// FMA), so every engine computes the same bits.
//
// e^y for y ≤ 0: y = k·ln2 + r (|r| ≤ ln2/2; ln2 split in two so k·LN2_HI is exact),
// e^r − 1 = q(r) by Taylor to r¹³ (truncation < 1e-17 relative), 2^k from the exponent bits;
// then e^y = 2^k + 2^k·q, and e^y − 1 = 2^k·q + (2^k − 1) with no cancellation when k = 0.
// y is clamped at −708 (2^k stays normal): e^−708 ≈ 3e-308 rounds to float32 0 like anything below.

const LOG2E: f64 = 1.4426950408889634;
const LN2_HI: f64 = 0.6931471803691238;
const LN2_LO: f64 = 1.9082149292705877e-10;
const Y_MIN: f64 = -708;

// Every constant as a pair in static memory, read with one load: V8 builds an f64x2.splat of a
// constant from three instructions at each use (and keeps none in a register across the loop).
const C = memory.data<f64>(
  [
    1.0 / 6227020800.0, 1.0 / 6227020800.0,
    1.0 / 479001600.0, 1.0 / 479001600.0,
    1.0 / 39916800.0, 1.0 / 39916800.0,
    1.0 / 3628800.0, 1.0 / 3628800.0,
    1.0 / 362880.0, 1.0 / 362880.0,
    1.0 / 40320.0, 1.0 / 40320.0,
    1.0 / 5040.0, 1.0 / 5040.0,
    1.0 / 720.0, 1.0 / 720.0,
    1.0 / 120.0, 1.0 / 120.0,
    1.0 / 24.0, 1.0 / 24.0,
    1.0 / 6.0, 1.0 / 6.0,
    0.5, 0.5,
    1.0, 1.0,
    LOG2E, LOG2E,
    LN2_HI, LN2_HI,
    LN2_LO, LN2_LO,
    Y_MIN, Y_MIN,
    2.0, 2.0,
    -2.0, -2.0,
  ],
  16,
);
const I = memory.data<i64>([1023, 1023, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000], 16);
// indices into C
const ONE = 12;
const K_LOG2E = 13;
const K_LN2_HI = 14;
const K_LN2_LO = 15;
const K_Y_MIN = 16;
const TWO = 17;
const MINUS_TWO = 18;

// @ts-ignore: decorator
@inline
function c(i: i32): v128 {
  return v128.load(C + (<usize>i << 4));
}

// @ts-ignore: decorator
@inline
function q2(r: v128): v128 {
  // (e^r − 1)/r = Σ rⁱ/(i+1)!, i = 0..12, Horner from the highest power (C[0] … C[12])
  let p = c(0);
  p = f64x2.add(c(1), f64x2.mul(r, p));
  p = f64x2.add(c(2), f64x2.mul(r, p));
  p = f64x2.add(c(3), f64x2.mul(r, p));
  p = f64x2.add(c(4), f64x2.mul(r, p));
  p = f64x2.add(c(5), f64x2.mul(r, p));
  p = f64x2.add(c(6), f64x2.mul(r, p));
  p = f64x2.add(c(7), f64x2.mul(r, p));
  p = f64x2.add(c(8), f64x2.mul(r, p));
  p = f64x2.add(c(9), f64x2.mul(r, p));
  p = f64x2.add(c(10), f64x2.mul(r, p));
  p = f64x2.add(c(11), f64x2.mul(r, p));
  p = f64x2.add(c(ONE), f64x2.mul(r, p));
  return f64x2.mul(r, p);
}

/** k = round(y/ln2) for y clamped to [Y_MIN, 0] (NaN stays NaN). */
// @ts-ignore: decorator
@inline
function kOf(yc: v128): v128 {
  return f64x2.nearest(f64x2.mul(yc, c(K_LOG2E)));
}

/** r = y − k·ln2, exactly enough (k·LN2_HI is exact). */
// @ts-ignore: decorator
@inline
function rOf(yc: v128, k: v128): v128 {
  return f64x2.sub(f64x2.sub(yc, f64x2.mul(k, c(K_LN2_HI))), f64x2.mul(k, c(K_LN2_LO)));
}

/** 2^k from the exponent bits (k ≥ −1022; a NaN lane gives garbage, but its q is NaN). */
// @ts-ignore: decorator
@inline
function pow2(k: v128): v128 {
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  return i64x2.shl(i64x2.add(ki, v128.load(I)), 52);
}

/** y clamped below at Y_MIN; pmax is one instruction (a NaN y stays NaN: it is the first operand). */
// @ts-ignore: decorator
@inline
function clampLow(y: v128): v128 {
  return f64x2.pmax(y, c(K_Y_MIN));
}

// @ts-ignore: decorator
@inline
function sigmoid2(v: v128): v128 {
  const y = clampLow(f64x2.neg(f64x2.abs(v)));
  const k = kOf(y);
  const q = q2(rOf(y, k));
  const s = pow2(k);
  const e = f64x2.add(s, f64x2.mul(s, q)); // e^-|v|
  const num = v128.bitselect(c(ONE), e, f64x2.ge(v, f64x2.splat(0)));
  return f64x2.div(num, f64x2.add(c(ONE), e));
}

// @ts-ignore: decorator
@inline
function tanh2(v: v128): v128 {
  const y = clampLow(f64x2.mul(c(MINUS_TWO), f64x2.abs(v)));
  const k = kOf(y);
  const q = q2(rOf(y, k));
  const s = pow2(k);
  const em = f64x2.add(f64x2.mul(s, q), f64x2.sub(s, c(ONE))); // e^-2|v| − 1
  const t = f64x2.div(f64x2.neg(em), f64x2.add(c(TWO), em)); // tanh |v| (NaN for NaN)
  // the sign of v (±0 → ±0)
  return v128.or(v128.and(t, v128.load(I, 16)), v128.and(v, v128.load(I, 32)));
}

/** out[i] = σ(x[i]) for n float32 values (out may be x). */
export function sigmoidF32(x: usize, out: usize, n: i32): void {
  apply(x, out, n, false);
}

/** out[i] = tanh(x[i]) for n float32 values (out may be x). */
export function tanhF32(x: usize, out: usize, n: i32): void {
  apply(x, out, n, true);
}

// act4 is inlined (the cells' hot loops; a call per vector cost ~10 % of an LSTM step); act1, for
// tails only, is not, which keeps the module (embedded in the size-budgeted entry) smaller.
// @ts-ignore: decorator
@inline
function act4(z: v128, tanh: bool): v128 {
  const lo = f64x2.promote_low_f32x4(z);
  const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(z, z, 2, 3, 2, 3));
  const a = tanh ? tanh2(lo) : sigmoid2(lo);
  const b = tanh ? tanh2(hi) : sigmoid2(hi);
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
}

function act1(z: f32, tanh: bool): f32 {
  const v = f64x2.splat(<f64>z);
  return <f32>f64x2.extract_lane(tanh ? tanh2(v) : sigmoid2(v), 0);
}

/** out[i] = σ(x[i]) or tanh(x[i]); the tail through the same lanes, so it rounds like the body. */
function apply(x: usize, out: usize, n: i32, tanh: bool): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, act4(v128.load(x + o), tanh));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, act1(load<f32>(x + o), tanh));
  }
}

/**
 * The elementwise part of one float32 LSTM step over n rows: z = xp + hp ([n, 4h], gate blocks
 * i | f | g | o), i, f, o = σ(z), g = tanh(z), c' = f·c + i·g, h' = o·tanh(c'), every intermediate
 * rounded to float32 where the composed float32 ops round it (σ and tanh as sigmoidF32/tanhF32).
 * Writes gates [n, 4h] (i, f, g, o), tanhC [n, h] = tanh(c') and out [n, 2h] = h' | c'.
 */
export function lstmCellF32(xp: usize, hp: usize, c: usize, gates: usize, tanhC: usize, out: usize, n: i32, h: i32): void {
  for (let r = 0; r < n; r++) {
    const z = <usize>(r * 4 * h) << 2;
    const hb = <usize>h << 2;
    const cr = <usize>(r * h) << 2;
    const orow = <usize>(r * 2 * h) << 2;
    let k = 0;
    for (; k + 4 <= h; k += 4) {
      const o = <usize>k << 2;
      const i = act4(f32x4.add(v128.load(xp + z + o), v128.load(hp + z + o)), false);
      const f = act4(f32x4.add(v128.load(xp + z + hb + o), v128.load(hp + z + hb + o)), false);
      const g = act4(f32x4.add(v128.load(xp + z + 2 * hb + o), v128.load(hp + z + 2 * hb + o)), true);
      const og = act4(f32x4.add(v128.load(xp + z + 3 * hb + o), v128.load(hp + z + 3 * hb + o)), false);
      const c1 = f32x4.add(f32x4.mul(f, v128.load(c + cr + o)), f32x4.mul(i, g));
      const tc = act4(c1, true);
      v128.store(gates + z + o, i);
      v128.store(gates + z + hb + o, f);
      v128.store(gates + z + 2 * hb + o, g);
      v128.store(gates + z + 3 * hb + o, og);
      v128.store(tanhC + cr + o, tc);
      v128.store(out + orow + o, f32x4.mul(og, tc));
      v128.store(out + orow + hb + o, c1);
    }
    for (; k < h; k++) {
      const o = <usize>k << 2;
      const i = act1(load<f32>(xp + z + o) + load<f32>(hp + z + o), false);
      const f = act1(load<f32>(xp + z + hb + o) + load<f32>(hp + z + hb + o), false);
      const g = act1(load<f32>(xp + z + 2 * hb + o) + load<f32>(hp + z + 2 * hb + o), true);
      const og = act1(load<f32>(xp + z + 3 * hb + o) + load<f32>(hp + z + 3 * hb + o), false);
      const c1 = f * load<f32>(c + cr + o) + i * g;
      const tc = act1(c1, true);
      store<f32>(gates + z + o, i);
      store<f32>(gates + z + hb + o, f);
      store<f32>(gates + z + 2 * hb + o, g);
      store<f32>(gates + z + 3 * hb + o, og);
      store<f32>(tanhC + cr + o, tc);
      store<f32>(out + orow + o, og * tc);
      store<f32>(out + orow + hb + o, c1);
    }
  }
}

/**
 * The elementwise part of one float32 GRU step over n rows: from xp, hp [n, 3h] (blocks r | z | n)
 * and h [n, h]: r, z = σ(xp + hp), n = tanh(xp_n + r·hp_n), h' = n + z·(h − n), every intermediate
 * rounded to float32 where the composed float32 ops round it. Writes gates [n, 3h] (r, z, n) and
 * out [n, h] = h'.
 */
export function gruCellF32(xp: usize, hp: usize, hd: usize, gates: usize, out: usize, n: i32, h: i32): void {
  for (let row = 0; row < n; row++) {
    const g = <usize>(row * 3 * h) << 2;
    const hb = <usize>h << 2;
    const hr = <usize>(row * h) << 2;
    let k = 0;
    for (; k + 4 <= h; k += 4) {
      const o = <usize>k << 2;
      const r = act4(f32x4.add(v128.load(xp + g + o), v128.load(hp + g + o)), false);
      const z = act4(f32x4.add(v128.load(xp + g + hb + o), v128.load(hp + g + hb + o)), false);
      const arg = f32x4.add(v128.load(xp + g + 2 * hb + o), f32x4.mul(r, v128.load(hp + g + 2 * hb + o)));
      const nv = act4(arg, true);
      v128.store(gates + g + o, r);
      v128.store(gates + g + hb + o, z);
      v128.store(gates + g + 2 * hb + o, nv);
      v128.store(out + hr + o, f32x4.add(nv, f32x4.mul(z, f32x4.sub(v128.load(hd + hr + o), nv))));
    }
    for (; k < h; k++) {
      const o = <usize>k << 2;
      const r = act1(load<f32>(xp + g + o) + load<f32>(hp + g + o), false);
      const z = act1(load<f32>(xp + g + hb + o) + load<f32>(hp + g + hb + o), false);
      const nv = act1(load<f32>(xp + g + 2 * hb + o) + r * load<f32>(hp + g + 2 * hb + o), true);
      store<f32>(gates + g + o, r);
      store<f32>(gates + g + hb + o, z);
      store<f32>(gates + g + 2 * hb + o, nv);
      store<f32>(out + hr + o, nv + z * (load<f32>(hd + hr + o) - nv));
    }
  }
}

// The cells' backward passes in double, as the reference kernels compute them (same operations in
// the same order, each result rounded once to float32 on store): the same bits.
// @ts-ignore: decorator
@inline
function lo(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
// @ts-ignore: decorator
@inline
function hi(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}
// @ts-ignore: decorator
@inline
function f32of(a: v128, b: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
}
// @ts-ignore: decorator
@inline
function oneMinus(v: v128): v128 {
  return f64x2.sub(c(ONE), v);
}

/**
 * LSTM step backward over n rows: from gates [n, 4h] (i, f, g, o), tanhC [n, h], the input cell state
 * c [n, h] and the gradients of h' (dh) and c' (dc), rows ld apart: writes dz [n, 4h] and dcOut [n, h].
 */
export function lstmCellGradF32(
  gates: usize, tanhC: usize, c: usize, dh: usize, dc: usize, ld: i32, n: i32, h: i32, dz: usize, dcOut: usize,
): void {
  const hb = <usize>h << 2;
  for (let r = 0; r < n; r++) {
    const z = <usize>(r * 4 * h) << 2;
    const cr = <usize>(r * h) << 2;
    const dr = <usize>(r * ld) << 2;
    let k = 0;
    for (; k + 4 <= h; k += 4) {
      const o = <usize>k << 2;
      const I = v128.load(gates + z + o);
      const F = v128.load(gates + z + hb + o);
      const G = v128.load(gates + z + 2 * hb + o);
      const O = v128.load(gates + z + 3 * hb + o);
      const TC = v128.load(tanhC + cr + o);
      const DH = v128.load(dh + dr + o);
      const DC = v128.load(dc + dr + o);
      const CD = v128.load(c + cr + o);
      // lower then upper two lanes
      const i0 = lo(I), f0 = lo(F), g0 = lo(G), o0 = lo(O), t0 = lo(TC), h0 = lo(DH);
      const d0 = f64x2.add(lo(DC), f64x2.mul(f64x2.mul(h0, o0), oneMinus(f64x2.mul(t0, t0))));
      const i1 = hi(I), f1 = hi(F), g1 = hi(G), o1 = hi(O), t1 = hi(TC), h1 = hi(DH);
      const d1 = f64x2.add(hi(DC), f64x2.mul(f64x2.mul(h1, o1), oneMinus(f64x2.mul(t1, t1))));
      v128.store(
        dz + z + o,
        f32of(
          f64x2.mul(f64x2.mul(f64x2.mul(d0, g0), i0), oneMinus(i0)),
          f64x2.mul(f64x2.mul(f64x2.mul(d1, g1), i1), oneMinus(i1)),
        ),
      );
      v128.store(
        dz + z + hb + o,
        f32of(
          f64x2.mul(f64x2.mul(f64x2.mul(d0, lo(CD)), f0), oneMinus(f0)),
          f64x2.mul(f64x2.mul(f64x2.mul(d1, hi(CD)), f1), oneMinus(f1)),
        ),
      );
      v128.store(
        dz + z + 2 * hb + o,
        f32of(
          f64x2.mul(f64x2.mul(d0, i0), oneMinus(f64x2.mul(g0, g0))),
          f64x2.mul(f64x2.mul(d1, i1), oneMinus(f64x2.mul(g1, g1))),
        ),
      );
      v128.store(
        dz + z + 3 * hb + o,
        f32of(
          f64x2.mul(f64x2.mul(f64x2.mul(h0, t0), o0), oneMinus(o0)),
          f64x2.mul(f64x2.mul(f64x2.mul(h1, t1), o1), oneMinus(o1)),
        ),
      );
      v128.store(dcOut + cr + o, f32of(f64x2.mul(d0, f0), f64x2.mul(d1, f1)));
    }
    for (; k < h; k++) {
      const o = <usize>k << 2;
      const i = <f64>load<f32>(gates + z + o);
      const fg = <f64>load<f32>(gates + z + hb + o);
      const g = <f64>load<f32>(gates + z + 2 * hb + o);
      const og = <f64>load<f32>(gates + z + 3 * hb + o);
      const tc = <f64>load<f32>(tanhC + cr + o);
      const dhk = <f64>load<f32>(dh + dr + o);
      const dc1 = <f64>load<f32>(dc + dr + o) + dhk * og * (1 - tc * tc);
      store<f32>(dz + z + o, <f32>(dc1 * g * i * (1 - i)));
      store<f32>(dz + z + hb + o, <f32>(dc1 * <f64>load<f32>(c + cr + o) * fg * (1 - fg)));
      store<f32>(dz + z + 2 * hb + o, <f32>(dc1 * i * (1 - g * g)));
      store<f32>(dz + z + 3 * hb + o, <f32>(dhk * tc * og * (1 - og)));
      store<f32>(dcOut + cr + o, <f32>(dc1 * fg));
    }
  }
}

/**
 * GRU step backward over n rows: from gates [n, 3h] (r, z, n), hp [n, 3h], the input state hd [n, h]
 * and h''s gradient d [n, h]: writes dx [n, 3h], dhp [n, 3h] and dh [n, h] (the part through z).
 */
export function gruCellGradF32(
  gates: usize, hp: usize, hd: usize, d: usize, n: i32, h: i32, dx: usize, dhp: usize, dh: usize,
): void {
  const hb = <usize>h << 2;
  for (let row = 0; row < n; row++) {
    const g = <usize>(row * 3 * h) << 2;
    const hr = <usize>(row * h) << 2;
    let k = 0;
    for (; k + 4 <= h; k += 4) {
      const o = <usize>k << 2;
      const R = v128.load(gates + g + o);
      const Z = v128.load(gates + g + hb + o);
      const N = v128.load(gates + g + 2 * hb + o);
      const D = v128.load(d + hr + o);
      const HD = v128.load(hd + hr + o);
      const HN = v128.load(hp + g + 2 * hb + o);
      const r0 = lo(R), z0 = lo(Z), n0 = lo(N), d0 = lo(D);
      const r1 = hi(R), z1 = hi(Z), n1 = hi(N), d1 = hi(D);
      const dn0 = f64x2.mul(f64x2.mul(d0, oneMinus(z0)), oneMinus(f64x2.mul(n0, n0)));
      const dn1 = f64x2.mul(f64x2.mul(d1, oneMinus(z1)), oneMinus(f64x2.mul(n1, n1)));
      const dz = f32of(
        f64x2.mul(f64x2.mul(f64x2.mul(d0, f64x2.sub(lo(HD), n0)), z0), oneMinus(z0)),
        f64x2.mul(f64x2.mul(f64x2.mul(d1, f64x2.sub(hi(HD), n1)), z1), oneMinus(z1)),
      );
      const dr = f32of(
        f64x2.mul(f64x2.mul(f64x2.mul(dn0, lo(HN)), r0), oneMinus(r0)),
        f64x2.mul(f64x2.mul(f64x2.mul(dn1, hi(HN)), r1), oneMinus(r1)),
      );
      v128.store(dx + g + o, dr);
      v128.store(dx + g + hb + o, dz);
      v128.store(dx + g + 2 * hb + o, f32of(dn0, dn1));
      v128.store(dhp + g + o, dr);
      v128.store(dhp + g + hb + o, dz);
      v128.store(dhp + g + 2 * hb + o, f32of(f64x2.mul(dn0, r0), f64x2.mul(dn1, r1)));
      v128.store(dh + hr + o, f32of(f64x2.mul(d0, z0), f64x2.mul(d1, z1)));
    }
    for (; k < h; k++) {
      const o = <usize>k << 2;
      const r = <f64>load<f32>(gates + g + o);
      const z = <f64>load<f32>(gates + g + hb + o);
      const nn = <f64>load<f32>(gates + g + 2 * hb + o);
      const dout = <f64>load<f32>(d + hr + o);
      const dn = dout * (1 - z) * (1 - nn * nn);
      const dzk = <f32>(dout * (<f64>load<f32>(hd + hr + o) - nn) * z * (1 - z));
      const drk = <f32>(dn * <f64>load<f32>(hp + g + 2 * hb + o) * r * (1 - r));
      store<f32>(dx + g + o, drk);
      store<f32>(dx + g + hb + o, dzk);
      store<f32>(dx + g + 2 * hb + o, <f32>dn);
      store<f32>(dhp + g + o, drk);
      store<f32>(dhp + g + hb + o, dzk);
      store<f32>(dhp + g + 2 * hb + o, <f32>(dn * r));
      store<f32>(dh + hr + o, <f32>(dout * z));
    }
  }
}
