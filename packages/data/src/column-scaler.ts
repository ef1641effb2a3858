import { Tensor } from '@tsdl/tensor';
import { fail, fmtShape } from './errors.js';

/** 2-d input of a scaler: a `[samples, features]` Tensor or rows of numbers. */
export type ScalerInput = Tensor | readonly (readonly number[])[];

interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/**
 * Shared plumbing of the per-column scalers: input checks, float64 arithmetic, and giving back
 * the caller's kind (a Tensor keeps a float dtype, int32 becomes float32; number[][] stays number[][]).
 */
export abstract class ColumnScaler {
  /** Number of columns seen by `fit` (undefined before). */
  nFeaturesIn: number | undefined;

  protected abstract fitColumns(m: Matrix): void;
  /** Maps one value of column `c` (or back, when `inverse`). */
  protected abstract map(v: number, c: number, inverse: boolean): number;
  protected abstract get name(): string;

  fit(x: ScalerInput): this {
    const m = toMatrix(`${this.name}.fit`, x);
    if (m.rows === 0) fail(`${this.name}.fit`, 'x must have at least one row, received 0');
    this.fitColumns(m);
    this.nFeaturesIn = m.cols;
    return this;
  }

  transform(x: Tensor): Tensor;
  transform(x: readonly (readonly number[])[]): number[][];
  transform(x: ScalerInput): Tensor | number[][] {
    return this.apply('transform', x, false);
  }

  inverseTransform(x: Tensor): Tensor;
  inverseTransform(x: readonly (readonly number[])[]): number[][];
  inverseTransform(x: ScalerInput): Tensor | number[][] {
    return this.apply('inverseTransform', x, true);
  }

  fitTransform(x: Tensor): Tensor;
  fitTransform(x: readonly (readonly number[])[]): number[][];
  fitTransform(x: ScalerInput): Tensor | number[][] {
    return this.fit(x).apply('fitTransform', x, false);
  }

  private apply(method: string, x: ScalerInput, inverse: boolean): Tensor | number[][] {
    const op = `${this.name}.${method}`;
    if (this.nFeaturesIn === undefined) fail(op, `this ${this.name} is not fitted yet: call fit(x) first`);
    const m = toMatrix(op, x);
    if (m.cols !== this.nFeaturesIn) {
      fail(op, `x has ${m.cols} features but the scaler was fitted with ${this.nFeaturesIn}`);
    }
    const { data, rows, cols } = m;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) data[r * cols + c] = this.map(data[r * cols + c]!, c, inverse);
    }
    if (x instanceof Tensor) {
      const out = x.dtype === 'float64' ? data : Float32Array.from(data);
      return new Tensor(out, [rows, cols]);
    }
    const res: number[][] = new Array(rows);
    for (let r = 0; r < rows; r++) res[r] = Array.from(data.subarray(r * cols, (r + 1) * cols));
    return res;
  }
}

function toMatrix(op: string, x: ScalerInput): Matrix {
  if (x instanceof Tensor) {
    if (x.ndim !== 2) {
      fail(
        op,
        `x must be 2-d [samples, features], received shape ${fmtShape(x.shape)} (use reshape([-1, 1]) for one feature)`,
      );
    }
    return { data: Float64Array.from(x.toTypedArray()), rows: x.shape[0]!, cols: x.shape[1]! };
  }
  if (!Array.isArray(x)) fail(op, 'x must be a 2-d Tensor or an array of rows (number[][])');
  const rows = x.length;
  const cols = rows > 0 ? (x[0]?.length ?? 0) : 0;
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = x[r];
    if (!Array.isArray(row) || row.length !== cols) {
      fail(
        op,
        `x must be rows of equal length: row 0 has ${cols} values, row ${r} has ${Array.isArray(row) ? row.length : typeof row}`,
      );
    }
    for (let c = 0; c < cols; c++) {
      const v = row[c];
      if (typeof v !== 'number') fail(op, `x[${r}][${c}] must be a number, received ${typeof v}`);
      data[r * cols + c] = v;
    }
  }
  return { data, rows, cols };
}

/** Checks a JSON field is an array of `n` numbers (null stands for NaN, which JSON cannot hold). */
export function numberArray(op: string, json: Record<string, unknown>, key: string, n?: number): number[] {
  const v = json[key];
  if (
    !Array.isArray(v) ||
    (n !== undefined && v.length !== n) ||
    !v.every((e) => typeof e === 'number' || e === null)
  ) {
    fail(
      op,
      `field "${key}" must be an array of ${n ?? 'some'} numbers, received ${JSON.stringify(v)?.slice(0, 80)}`,
    );
  }
  return v.map((e) => (e === null ? Number.NaN : (e as number)));
}
