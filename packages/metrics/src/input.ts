import { Tensor } from '@tsdl/tensor';
import { fail, fmtShape } from './errors.js';

/** A 1-d sequence of numbers: a plain array, any typed array, or a 1-d Tensor (or a column [n,1]). */
export type Vector = ArrayLike<number> | Tensor;
/** A 2-d matrix [n, C]: nested arrays (rows) or a 2-d Tensor. */
export type Matrix = ArrayLike<ArrayLike<number>> | Tensor;

/** Row-major float64 copy of a 1-d or 2-d input, with its shape. */
export interface Dense {
  data: Float64Array;
  shape: [number] | [number, number];
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { length?: unknown }).length === 'number';
}

function checkFinite(fn: string, arg: string, data: Float64Array, cols: number): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) {
      const at = cols > 0 ? `[${Math.floor(i / cols)},${i % cols}]` : `index ${i}`;
      fail(fn, `${arg} must hold finite numbers, received ${v} at ${at}`);
    }
  }
}

/** Reads a 1-d or 2-d numeric input (array, typed array, nested array, Tensor); rejects NaN/±Infinity. */
export function toDense(fn: string, arg: string, x: Vector | Matrix): Dense {
  if (x instanceof Tensor) {
    if (x.ndim !== 1 && x.ndim !== 2)
      fail(fn, `${arg} must be a 1-d or 2-d tensor, received shape ${fmtShape(x.shape)}`);
    const data = Float64Array.from(x.toTypedArray());
    const shape: Dense['shape'] = x.ndim === 1 ? [x.shape[0]!] : [x.shape[0]!, x.shape[1]!];
    checkFinite(fn, arg, data, x.ndim === 2 ? shape[1]! : 0);
    return { data, shape };
  }
  if (!isArrayLike(x) || typeof x === 'string') {
    fail(fn, `${arg} must be an array, typed array or Tensor, received ${x === null ? 'null' : typeof x}`);
  }
  const n = x.length;
  if (n > 0 && isArrayLike(x[0])) {
    const cols = (x[0] as ArrayLike<unknown>).length;
    const data = new Float64Array(n * cols);
    for (let i = 0; i < n; i++) {
      const row = x[i];
      if (!isArrayLike(row) || row.length !== cols) {
        fail(
          fn,
          `${arg} must be a rectangular matrix: row 0 has ${cols} elements, row ${i} has ${isArrayLike(row) ? row.length : typeof row}`,
        );
      }
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== 'number') fail(fn, `${arg} must hold numbers, received ${typeof v} at [${i},${j}]`);
        data[i * cols + j] = v;
      }
    }
    checkFinite(fn, arg, data, cols);
    return { data, shape: [n, cols] };
  }
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (typeof v !== 'number') fail(fn, `${arg} must hold numbers, received ${typeof v} at index ${i}`);
    data[i] = v;
  }
  checkFinite(fn, arg, data, 0);
  return { data, shape: [n] };
}

/** A 1-d input as float64; a column [n,1] is accepted like scikit-learn's column_or_1d. */
export function toVector(fn: string, arg: string, x: Vector): Float64Array {
  const d = toDense(fn, arg, x);
  if (d.shape.length === 2 && d.shape[1] !== 1) {
    fail(fn, `${arg} must be 1-d (or a column [n,1]), received shape ${fmtShape(d.shape)}`);
  }
  return d.data;
}

/** Class labels: 1-d, finite, integer-valued (scores passed where labels belong are rejected). */
export function toLabels(fn: string, arg: string, x: Vector): Float64Array {
  const v = toVector(fn, arg, x);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isInteger(v[i]!)) {
      fail(
        fn,
        `${arg} must hold integer class labels, received ${v[i]} at index ${i} (pass predicted labels, not scores)`,
      );
    }
  }
  return v;
}

export function checkSameLength(
  fn: string,
  argA: string,
  a: ArrayLike<unknown>,
  argB: string,
  b: ArrayLike<unknown>,
): void {
  if (a.length !== b.length)
    fail(fn, `${argB} has ${b.length} elements but ${argA} has ${a.length}; expected ${a.length}`);
}

export function checkNonEmpty(fn: string, arg: string, a: ArrayLike<unknown>): void {
  if (a.length === 0) fail(fn, `${arg} is empty; expected at least one sample`);
}

/** Sorted distinct values of the given arrays (scikit-learn's unique_labels for numeric labels). */
export function uniqueSorted(...arrays: ArrayLike<number>[]): number[] {
  const seen = new Set<number>();
  for (const a of arrays) for (let i = 0; i < a.length; i++) seen.add(a[i]!);
  return [...seen].sort((p, q) => p - q);
}

/** A user-supplied `labels` option: non-empty, finite numbers, no duplicates. */
export function toLabelList(fn: string, labels: ArrayLike<number> | Tensor): number[] {
  const list = [...toVector(fn, 'labels', labels)];
  if (list.length === 0) fail(fn, 'labels must contain at least one label, received []');
  const seen = new Set<number>();
  for (const l of list) {
    if (seen.has(l)) fail(fn, `labels must be distinct, received ${l} twice`);
    seen.add(l);
  }
  return list;
}
