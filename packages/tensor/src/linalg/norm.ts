import { fail, fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { norm2 } from './dense.js';
import { svdData } from './svd.js';

/** Vector orders are numbers (p-norms, ±Infinity, 0 = count of non-zeros); matrices also take 'fro' and 'nuc'. */
export type NormOrd = number | 'fro' | 'nuc';

/**
 * Vector or matrix norm (like `torch.linalg.norm(x, ord, dim, keepdim)`), computed and returned in float64.
 *
 * - no `ord`, no `axis`: the 2-norm of all elements flattened (the Frobenius norm of a matrix);
 * - `axis` a number: vector norms along it, `ord` a number (default 2): Σ|x|^p^(1/p), Infinity → max|x|,
 *   -Infinity → min|x|, 0 → number of non-zeros;
 * - `axis` a pair: matrix norms over those two dims (batched over the rest), `ord` one of 'fro' (default),
 *   'nuc' (sum of singular values), 2 / -2 (largest / smallest singular value), 1 / -1 (max / min
 *   absolute column sum), Infinity / -Infinity (max / min absolute row sum);
 * - `ord` without `axis`: a vector norm for 1-d `x`, a matrix norm for 2-d `x`.
 */
export function norm(
  x: Tensor,
  ord?: NormOrd | null,
  axis?: number | readonly number[] | null,
  keepdims = false,
): Tensor {
  if (!(x instanceof Tensor)) fail('norm', `x must be a Tensor, received ${typeof x}`);
  const nd = x.ndim;
  let axes: number[];
  if (axis === undefined || axis === null) {
    if (ord === undefined || ord === null) axes = [...x.shape.keys()];
    else if (nd === 1 || nd === 2) axes = [...x.shape.keys()];
    else fail('norm', `ord given without axis needs a 1-d or 2-d x, received shape ${fmtShape(x.shape)}`);
  } else {
    const list = typeof axis === 'number' ? [axis] : [...axis];
    if (list.length !== 1 && list.length !== 2)
      fail('norm', `axis must be a number or a pair of numbers, received [${list.join(',')}]`);
    axes = list.map((a) => {
      if (!Number.isInteger(a) || a < -nd || a >= nd)
        fail('norm', `axis ${a} is out of range for x of shape ${fmtShape(x.shape)}`);
      return a < 0 ? a + nd : a;
    });
    if (axes.length === 2 && axes[0] === axes[1])
      fail('norm', `axis must name two different dims, received [${list.join(',')}]`);
  }
  // Flattened default: a vector norm over everything.
  const matrix =
    axes.length === 2 && !((ord === undefined || ord === null) && (axis === undefined || axis === null));
  const o: NormOrd = ord ?? (matrix ? 'fro' : 2);
  if (!matrix && typeof o !== 'number')
    fail('norm', `ord '${o}' is a matrix norm: pass a pair of axes or a 2-d x`);
  if (
    matrix &&
    !(
      o === 'fro' ||
      o === 'nuc' ||
      o === 1 ||
      o === -1 ||
      o === 2 ||
      o === -2 ||
      o === Infinity ||
      o === -Infinity
    )
  ) {
    fail(
      'norm',
      `matrix ord must be 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity, received ${String(o)}`,
    );
  }

  // Move the reduced axes last so each reduction reads one contiguous block.
  const kept = [...x.shape.keys()].filter((d) => !axes.includes(d));
  const moved = x.permute([...kept, ...axes]);
  const data = Float64Array.from(moved.toTypedArray());
  const inner = axes.reduce((p, d) => p * x.shape[d]!, 1);
  const outer = kept.reduce((p, d) => p * x.shape[d]!, 1);
  const out = new Float64Array(outer);
  for (let b = 0; b < outer; b++) {
    const off = b * inner;
    out[b] = matrix
      ? matrixNorm(data, off, x.shape[axes[0]!]!, x.shape[axes[1]!]!, o)
      : vectorNorm(data, off, inner, o as number);
  }
  const shape = keepdims ? x.shape.map((s, d) => (axes.includes(d) ? 1 : s)) : kept.map((d) => x.shape[d]!);
  return new Tensor(out, shape);
}

function vectorNorm(a: Float64Array, off: number, len: number, p: number): number {
  if (Number.isNaN(p)) fail('norm', 'ord must be a number, received NaN');
  if (p === 2) return norm2(a, off, len);
  if (p === Infinity || p === -Infinity) {
    if (len === 0) fail('norm', `ord ${p} needs a non-empty reduction`);
    let r = Math.abs(a[off]!);
    for (let i = 1; i < len; i++) {
      const v = Math.abs(a[off + i]!);
      r = p > 0 ? (v > r || Number.isNaN(v) ? v : r) : v < r || Number.isNaN(v) ? v : r;
    }
    return r;
  }
  let s = 0;
  if (p === 0) {
    for (let i = 0; i < len; i++) s += a[off + i] !== 0 ? 1 : 0;
    return s;
  }
  if (p === 1) {
    for (let i = 0; i < len; i++) s += Math.abs(a[off + i]!);
    return s;
  }
  for (let i = 0; i < len; i++) s += Math.abs(a[off + i]!) ** p;
  return s ** (1 / p);
}

function matrixNorm(a: Float64Array, off: number, r: number, c: number, ord: NormOrd): number {
  if (ord === 'fro') return norm2(a, off, r * c);
  if (ord === 1 || ord === -1 || ord === Infinity || ord === -Infinity) {
    // Absolute column sums (ord ±1) or row sums (ord ±Infinity), then their max or min.
    const byCol = ord === 1 || ord === -1;
    const count = byCol ? c : r;
    if (count === 0 || r * c === 0)
      fail('norm', `matrix ord ${ord} needs a non-empty matrix, received ${r}×${c}`);
    const sums = new Float64Array(count);
    for (let i = 0; i < r; i++)
      for (let j = 0; j < c; j++) sums[byCol ? j : i]! += Math.abs(a[off + i * c + j]!);
    let best = sums[0]!;
    for (let i = 1; i < count; i++) best = ord > 0 ? Math.max(best, sums[i]!) : Math.min(best, sums[i]!);
    return best;
  }
  // Singular-value norms: 2, -2, 'nuc'.
  const block = a.slice(off, off + r * c);
  let hasInf = false;
  for (let i = 0; i < block.length; i++) {
    if (Number.isNaN(block[i]!)) return NaN;
    if (!Number.isFinite(block[i]!)) hasInf = true;
  }
  if (hasInf) return ord === -2 ? NaN : Infinity;
  const S = svdData({ rows: r, cols: c, data: block }, false, false).S;
  if (ord === 'nuc') return S.reduce((p, v) => p + v, 0);
  if (S.length === 0) fail('norm', `matrix ord ${ord} needs a non-empty matrix, received ${r}×${c}`);
  return ord === 2 ? S[0]! : S[S.length - 1]!;
}
