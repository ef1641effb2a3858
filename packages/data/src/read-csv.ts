import { type DType, Tensor } from '@tsdl/tensor';
import Papa from 'papaparse';
import { asText } from './bytes.js';
import { fail } from './errors.js';

const OP = 'readCsv';

export interface CsvOptions {
  /** First row holds column names (default true); without it columns are named "0", "1", … */
  header?: boolean;
  /** Keep only these columns, in this order (default: all). */
  columns?: readonly string[];
  /** Force a column's type; others are numbers when every non-missing value parses as one. */
  dtypes?: Readonly<Record<string, 'number' | 'string'>>;
  /** Field delimiter (default: detected by papaparse, ',' when in doubt). */
  delimiter?: string;
  /** Texts that mean "missing" (default: '', 'NA', 'N/A', 'NaN', 'nan', 'null'). Compared after trimming. */
  naValues?: readonly string[];
  /**
   * What to do with missing values: 'error' (default) throws naming their columns and 1-based
   * line numbers; 'report' keeps them (NaN in number columns, the text in string columns) and
   * lists them in `missing`; 'keep' keeps them without listing.
   */
  onMissing?: 'error' | 'report' | 'keep';
}

export interface CsvMissing {
  column: string;
  /** 1-based line of the input (the header is line 1). */
  line: number;
}

export interface CsvTable {
  columns: string[];
  rows: number;
  data: Record<string, Float64Array | string[]>;
  /** Missing values found (only with onMissing: 'report'). */
  missing: CsvMissing[];
  /** Number columns as a `[rows, columns.length]` tensor (default: every column; float32 by default). */
  toTensor(columns?: readonly string[], options?: { dtype?: DType }): Tensor;
  /** One object per row, e.g. for `new DataFrame(rows)`. */
  toRows(): Record<string, number | string>[];
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DEFAULT_NA = ['', 'NA', 'N/A', 'NaN', 'nan', 'null'];

/**
 * Parses CSV text (or UTF-8 bytes) with papaparse into typed columns: a column is a Float64Array
 * when every non-missing value is a decimal number, a string[] otherwise. Ragged rows and
 * malformed quoting are errors naming their line.
 */
export function readCsv(input: string | Uint8Array | ArrayBuffer, options: CsvOptions = {}): CsvTable {
  const { header = true, dtypes = {}, onMissing = 'error' } = options;
  if (!['error', 'report', 'keep'].includes(onMissing)) {
    fail(OP, `onMissing must be 'error', 'report' or 'keep', received ${JSON.stringify(onMissing)}`);
  }
  const text = asText(OP, input);
  const na = new Set(options.naValues ?? DEFAULT_NA);

  let names: string[] | undefined;
  const raw: string[][] = [];
  const lines: number[] = [];
  let line = 1;
  let prevCursor = 0;
  Papa.parse<string[]>(text, {
    delimiter: options.delimiter ?? '',
    step(result) {
      const row = result.data;
      const startLine = line;
      const cursor = result.meta.cursor;
      for (let i = prevCursor; i < cursor; i++) if (text.charCodeAt(i) === 10) line++;
      prevCursor = cursor;
      for (const e of result.errors) {
        if (e.type !== 'Delimiter') fail(OP, `line ${startLine}: ${e.message}`);
      }
      if (row.length === 1 && row[0]!.trim() === '') return; // blank line
      if (!names) {
        if (header) {
          names = row.map((s) => s.trim());
          return;
        }
        names = row.map((_, k) => String(k));
      }
      if (row.length !== names.length) {
        fail(
          OP,
          `line ${startLine} has ${row.length} fields, expected ${names.length} (${names.join(', ')}): ${JSON.stringify(row.join(',').slice(0, 120))}`,
        );
      }
      if (raw.length === 0) for (let k = 0; k < row.length; k++) raw.push([]);
      for (let k = 0; k < row.length; k++) raw[k]!.push(row[k]!);
      lines.push(startLine);
    },
  });
  if (!names) fail(OP, header ? 'input has no header line' : 'input has no rows');
  const allNames = names;
  const seen = new Set<string>();
  for (const n of allNames) {
    if (seen.has(n)) fail(OP, `duplicate column name ${JSON.stringify(n)} in the header`);
    seen.add(n);
  }
  for (const c of [...(options.columns ?? []), ...Object.keys(dtypes)]) {
    if (!seen.has(c))
      fail(
        OP,
        `unknown column ${JSON.stringify(c)}; the columns are ${allNames.map((s) => JSON.stringify(s)).join(', ')}`,
      );
  }
  const columns = options.columns ? [...options.columns] : allNames;
  const rows = lines.length;
  const data: Record<string, Float64Array | string[]> = {};
  const missing: CsvMissing[] = [];
  for (const name of columns) {
    const values = raw[allNames.indexOf(name)] ?? [];
    const isMissing = values.map((v) => na.has(v.trim()));
    const want = dtypes[name];
    const numeric =
      want === 'number' ||
      (want === undefined && values.every((v, r) => isMissing[r] || NUMBER.test(v.trim())));
    for (let r = 0; r < rows; r++) if (isMissing[r]) missing.push({ column: name, line: lines[r]! });
    if (numeric) {
      const col = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        if (isMissing[r]) col[r] = Number.NaN;
        else {
          const v = values[r]!.trim();
          if (!NUMBER.test(v))
            fail(
              OP,
              `column ${JSON.stringify(name)} is typed 'number' but line ${lines[r]} holds ${JSON.stringify(v)}`,
            );
          col[r] = Number(v);
        }
      }
      data[name] = col;
    } else data[name] = values;
  }
  if (missing.length > 0 && onMissing === 'error') {
    missing.sort((a, b) => a.line - b.line);
    const shown = missing.slice(0, 5).map((m) => `column ${JSON.stringify(m.column)} line ${m.line}`);
    fail(
      OP,
      `${missing.length} missing value${missing.length > 1 ? 's' : ''}: ${shown.join(', ')}${missing.length > 5 ? ', …' : ''} (pass onMissing: 'report' or 'keep' to accept them)`,
    );
  }
  if (onMissing !== 'report') missing.length = 0;
  missing.sort((a, b) => a.line - b.line || columns.indexOf(a.column) - columns.indexOf(b.column));

  return {
    columns,
    rows,
    data,
    missing,
    toTensor(cols = columns, opts = {}) {
      const dtype = opts.dtype ?? 'float32';
      const k = cols.length;
      const out =
        dtype === 'float64'
          ? new Float64Array(rows * k)
          : dtype === 'int32'
            ? new Int32Array(rows * k)
            : new Float32Array(rows * k);
      cols.forEach((name, j) => {
        const col = data[name];
        if (col === undefined)
          fail(
            'readCsv.toTensor',
            `unknown column ${JSON.stringify(name)}; the columns are ${columns.join(', ')}`,
          );
        if (!(col instanceof Float64Array))
          fail('readCsv.toTensor', `column ${JSON.stringify(name)} holds strings, not numbers`);
        for (let r = 0; r < rows; r++) out[r * k + j] = col[r]!;
      });
      return new Tensor(out, [rows, k]);
    },
    toRows() {
      const out: Record<string, number | string>[] = new Array(rows);
      for (let r = 0; r < rows; r++) {
        const o: Record<string, number | string> = {};
        for (const name of columns) o[name] = data[name]![r]!;
        out[r] = o;
      }
      return out;
    },
  };
}
