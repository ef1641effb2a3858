import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readCsv } from '@tsdl/data';
import type { DataFrame } from 'danfojs';

/** A univariate time series in chronological order. */
export interface Series {
  dates: string[];
  values: Float64Array;
  /** Where it came from, for reports. */
  source: string;
}

export interface SeriesOptions {
  dateCol: string;
  valueCol: string;
  /** Keep rows dated on or after this (compared as dates; e.g. "1975-01"). */
  from?: string;
  /** Keep rows dated on or before this. */
  to?: string;
  /** Name for reports (default "CSV"). */
  name?: string;
}

/** The bundled monthly gold prices (USD per troy ounce, 1833–2026, PDDL); see data/README.md. */
export const GOLD_CSV = fileURLToPath(new URL('../data/monthly.csv', import.meta.url));

/**
 * Before 1971 the dollar price of gold was fixed by policy (Bretton Woods) and US citizens could not
 * hold bullion until 31 December 1974: the default period starts with the first month of a free market.
 */
export const GOLD_DEFAULT_FROM = '1975-01';

export const GOLD_DEFAULTS: SeriesOptions = {
  dateCol: 'Date',
  valueCol: 'Price',
  from: GOLD_DEFAULT_FROM,
  name: 'monthly gold price, USD/oz',
};

/** `Date.parse` with a clear error (ISO dates like "2001-02" or "2001-02-03", or any format V8 reads). */
function toTime(s: string, what: string): number {
  const t = Date.parse(s);
  if (!Number.isFinite(t)) throw new Error(`series: ${what} ${JSON.stringify(s)} is not a date`);
  return t;
}

/**
 * CSV text → papaparse rows (`readCsv`) → a danfojs DataFrame → a chronological series: rows whose
 * value is missing are dropped, rows are sorted by date, and a repeated date is an error.
 */
export async function seriesFromCsv(text: string | Uint8Array, opts: SeriesOptions): Promise<Series> {
  // danfojs takes most of a second to load: imported here, so that only commands reading a CSV pay.
  const [{ DataFrame: Frame }, { fromDataFrame }] = await Promise.all([
    import('danfojs'),
    import('@tsdl/data/danfo'),
  ]);
  const table = readCsv(text, {
    columns: [opts.dateCol, opts.valueCol],
    dtypes: { [opts.dateCol]: 'string', [opts.valueCol]: 'number' },
    onMissing: 'keep',
  });
  const df = new Frame(table.toRows()).dropNa({ axis: 1 }) as DataFrame;
  const dates = (df.column(opts.dateCol).values as unknown[]).map(String);
  const values = fromDataFrame(df, [opts.valueCol], { dtype: 'float64' }).toTypedArray();
  const times = dates.map((d, i) => toTime(d, `row ${i + 1} of column ${JSON.stringify(opts.dateCol)}`));
  const lo = opts.from === undefined ? -Infinity : toTime(opts.from, '--from');
  const hi = opts.to === undefined ? Infinity : toTime(opts.to, '--to');
  const order = times
    .map((_, i) => i)
    .filter((i) => times[i]! >= lo && times[i]! <= hi)
    .sort((a, b) => times[a]! - times[b]!);
  for (let k = 1; k < order.length; k++) {
    if (times[order[k]!] === times[order[k - 1]!])
      throw new Error(`series: date ${dates[order[k]!]} appears more than once`);
  }
  return {
    dates: order.map((i) => dates[i]!),
    values: Float64Array.from(order, (i) => values[i]!),
    source: opts.name ?? 'CSV',
  };
}

/** Loads `path` (default: the bundled gold prices from 1975). */
export async function loadSeries(
  path: string | undefined,
  opts: Partial<SeriesOptions> = {},
): Promise<Series> {
  const o: SeriesOptions =
    path === undefined
      ? { ...GOLD_DEFAULTS, ...stripUndefined(opts) }
      : { dateCol: 'date', valueCol: 'price', name: path, ...stripUndefined(opts) };
  const s = await seriesFromCsv(readFileSync(path ?? GOLD_CSV), o);
  const range = s.dates.length > 0 ? `${s.dates[0]} … ${s.dates[s.dates.length - 1]}` : 'empty';
  return { ...s, source: `${o.name ?? path} (${s.values.length} rows, ${range})` };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
