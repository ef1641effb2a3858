// float32 elementwise kernels: +, −, ×, ÷ of two float32 operands (one may repeat as a row: a bias),
// the same with a double scalar, relu and relu's gradient. V8's float32 loops in JavaScript cost
// ~1–4 ns per element (more when a loop has seen several array types); these do four lanes at once.
//
// Bit-identical to the JavaScript they replace: one float32 +, −, × or ÷ equals the same op in double
// rounded once to float32, so two float32 operands run as f32x4. A scalar is a double in JavaScript
// (0.1 is not a float32), so scalar ops run in f64x2 and round once, as `fround(x op s)` does.
// ops: 0 add, 1 sub, 2 mul, 3 div. Pointers are byte offsets into linear memory.

// @ts-ignore: decorator
@inline
function op4(op: i32, x: v128, y: v128): v128 {
  if (op == 0) return f32x4.add(x, y);
  if (op == 1) return f32x4.sub(x, y);
  if (op == 2) return f32x4.mul(x, y);
  return f32x4.div(x, y);
}

// @ts-ignore: decorator
@inline
function op1(op: i32, x: f32, y: f32): f32 {
  if (op == 0) return x + y;
  if (op == 1) return x - y;
  if (op == 2) return x * y;
  return x / y;
}


/** out[j] = a[j] op b[j] for j < p. */
// @ts-ignore: decorator
@inline
function run(op: i32, po: usize, pa: usize, pb: usize, p: i32): void {
  let j = 0;
  for (; j + 4 <= p; j += 4) {
    const o = <usize>j << 2;
    v128.store(po + o, op4(op, v128.load(pa + o), v128.load(pb + o)));
  }
  for (; j < p; j++) {
    const o = <usize>j << 2;
    store<f32>(po + o, op1(op, load<f32>(pa + o), load<f32>(pb + o)));
  }
}

/**
 * out = a op b for `rows` rows of p float32 values; aRow / bRow: that operand is one row of p values
 * repeated (a bias), else it is rows·p values like out. Same-shape operands are one row of n. out may
 * be a full operand. One inlined loop per op (the row layout only moves the pointers).
 */
export function binaryF32(op: i32, out: usize, a: usize, aRow: bool, b: usize, bRow: bool, p: i32, rows: i32): void {
  for (let r = 0; r < rows; r++) {
    const base = <usize>(r * p) << 2;
    const pa = aRow ? a : a + base;
    const pb = bRow ? b : b + base;
    if (op == 0) run(0, out + base, pa, pb, p);
    else if (op == 1) run(1, out + base, pa, pb, p);
    else if (op == 2) run(2, out + base, pa, pb, p);
    else run(3, out + base, pa, pb, p);
  }
}

/** x op s in double; ops 4 and 5 are the reversed s − x and s ÷ x. */
// @ts-ignore: decorator
@inline
function opD(op: i32, x: v128, s: v128): v128 {
  if (op == 0) return f64x2.add(x, s);
  if (op == 1) return f64x2.sub(x, s);
  if (op == 2) return f64x2.mul(x, s);
  if (op == 3) return f64x2.div(x, s);
  if (op == 4) return f64x2.sub(s, x);
  return f64x2.div(s, x);
}

/**
 * out[i] = fround(x[i] op s) (left: fround(s op x[i])) for n float32 values and a double s. + and ×
 * commute bit for bit, so a left scalar only matters for − and ÷. One loop for all six (the double
 * arithmetic dominates a vector; the op test is the same every time).
 */
export function scalarF32(op: i32, out: usize, x: usize, s: f64, left: bool, n: i32): void {
  const code = left && op == 1 ? 4 : left && op == 3 ? 5 : op;
  const vs = f64x2.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    const lo = opD(code, f64x2.promote_low_f32x4(v), vs);
    const hi = opD(code, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)), vs);
    v128.store(out + o, v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
  }
  // the tail through the same lanes, so it rounds exactly like the body
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = opD(code, f64x2.splat(<f64>load<f32>(x + o)), vs);
    store<f32>(out + o, <f32>f64x2.extract_lane(v, 0));
  }
}

/**
 * out[i] = relu(x[i]) on the bit patterns: sign bit set → +0 (so −0 → +0), except NaNs, which are
 * kept (the JavaScript reference's `v > 0 ? v : v === v ? 0 : v`).
 */
export function reluF32(x: usize, out: usize, n: i32): void {
  const abs = i32x4.splat(0x7fffffff);
  const inf = i32x4.splat(0x7f800000);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const b = v128.load(x + o);
    const keep = v128.or(v128.not(i32x4.shr_s(b, 31)), i32x4.gt_s(v128.and(b, abs), inf));
    v128.store(out + o, v128.and(b, keep));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const b = load<i32>(x + o);
    store<i32>(out + o, b & (~(b >> 31) | -<i32>((b & 0x7fffffff) > 0x7f800000)));
  }
}

/** out[i] = dy[i] · (x[i] > 0 ? 1 : 0): dy·0 keeps ±0 and turns ±Inf and NaN into NaN. */
export function reluGradF32(dy: usize, x: usize, out: usize, n: i32): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const mask = v128.and(f32x4.gt(v128.load(x + o), zero), one);
    v128.store(out + o, f32x4.mul(v128.load(dy + o), mask));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(dy + o) * (load<f32>(x + o) > 0 ? <f32>1 : <f32>0));
  }
}

/**
 * acc[j] += x[r·cols + j] for r = 0..rows−1 in that order, in double (acc holds cols float64s): the
 * float32 column sums of a reduction over the leading axis (a bias gradient), each sum added in row
 * order as the reference does, two columns per f64x2.
 */
export function colSumsF32(x: usize, rows: i32, cols: i32, acc: usize): void {
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    const pa = acc + (<usize>j << 3);
    let lo = v128.load(pa);
    let hi = v128.load(pa, 16);
    let p = x + (<usize>j << 2);
    const step = <usize>cols << 2;
    for (let r = 0; r < rows; r++, p += step) {
      const v = v128.load(p);
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
    }
    v128.store(pa, lo);
    v128.store(pa, hi, 16);
  }
  for (; j < cols; j++) {
    const pa = acc + (<usize>j << 3);
    let s = load<f64>(pa);
    for (let r = 0; r < rows; r++) s += <f64>load<f32>(x + ((<usize>(r * cols + j)) << 2));
    store<f64>(pa, s);
  }
}
