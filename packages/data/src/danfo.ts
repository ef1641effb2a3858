// danfojs adapters (`@tsdl/data/danfo`). danfojs is an optional peer dependency: only this entry
// imports it. Note: danfojs 1.2.0's readCSV crashes in Node; build frames from rows instead,
// e.g. `new DataFrame(readCsv(text).toRows())`.
import { type DType, Tensor } from '@tsdl/tensor';
import { DataFrame } from 'danfojs';
import { fail, fmtShape } from './errors.js';

/** Numeric columns of a DataFrame (default: all) as a `[rows, columns]` tensor (float32 by default). */
export function fromDataFrame(
  df: DataFrame,
  columns?: readonly string[],
  options: { dtype?: DType } = {},
): Tensor {
  const op = 'fromDataFrame';
  // Duck-typed so a frame from another danfojs copy (e.g. danfojs-node) works too.
  if (!Array.isArray(df?.columns) || typeof df.column !== 'function' || !Array.isArray(df.shape)) {
    fail(op, 'df must be a danfojs DataFrame');
  }
  const cols = columns ? [...columns] : [...df.columns];
  const rows = df.shape[0] ?? 0;
  const k = cols.length;
  const dtype = options.dtype ?? 'float32';
  const out =
    dtype === 'float64'
      ? new Float64Array(rows * k)
      : dtype === 'int32'
        ? new Int32Array(rows * k)
        : new Float32Array(rows * k);
  cols.forEach((name, j) => {
    if (!df.columns.includes(name))
      fail(op, `unknown column ${JSON.stringify(name)}; the columns are ${df.columns.join(', ')}`);
    const values = df.column(name).values as unknown[];
    for (let r = 0; r < rows; r++) {
      const v = values[r];
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        fail(op, `column ${JSON.stringify(name)} row ${r} holds ${JSON.stringify(v)}, not a number`);
      }
      out[r * k + j] = Number(v);
    }
  });
  return new Tensor(out, [rows, k]);
}

/** A 2-d tensor (or 1-d, as one column) as a DataFrame with the given column names (default "0", "1", …). */
export function toDataFrame(t: Tensor, columns?: readonly string[]): DataFrame {
  const op = 'toDataFrame';
  if (!(t instanceof Tensor) || (t.ndim !== 1 && t.ndim !== 2)) {
    fail(
      op,
      `tensor must be 1-d or 2-d, received ${t instanceof Tensor ? `shape ${fmtShape(t.shape)}` : typeof t}`,
    );
  }
  const rows = t.shape[0]!;
  const k = t.ndim === 2 ? t.shape[1]! : 1;
  const names = columns ? [...columns] : Array.from({ length: k }, (_, j) => String(j));
  if (names.length !== k)
    fail(
      op,
      `tensor has ${k} columns (shape ${fmtShape(t.shape)}) but ${names.length} column names were given`,
    );
  const flat = t.toTypedArray();
  const data: number[][] = new Array(rows);
  for (let r = 0; r < rows; r++) data[r] = Array.from(flat.subarray(r * k, (r + 1) * k));
  return new DataFrame(data, { columns: names });
}
