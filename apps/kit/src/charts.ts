// Small dependency-free SVG charts for run reports: line chart, labelled heatmap, labelled scatter plot.

/** Escapes text for SVG/XML content and attribute values. */
export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export interface Series {
  name: string;
  values: ArrayLike<number>;
  color: string;
  /** Dash pattern, e.g. "4 3" (default solid). */
  dash?: string;
}

export interface XTick {
  index: number;
  label: string;
}

/** Size and look of a line chart; the defaults suit a per-epoch curve. */
export interface ChartLayout {
  width?: number;
  height?: number;
  margin?: { l: number; r: number; t: number; b: number };
  /** Significant digits of the y tick labels. */
  yPrecision?: number;
  strokeWidth?: number;
  /** Series names in the top right (default) or the top left corner. */
  legend?: 'right' | 'left';
}

export interface LineChartOptions extends ChartLayout {
  title: string;
  xLabel: string;
  yLabel: string;
  /**
   * Labels under the x axis: 'index' numbers the points from 1 (about 10 of them past 12 points,
   * e.g. epochs); a list puts each label at its point index (e.g. dates). Default none.
   */
  xTicks?: 'index' | XTick[];
}

/** Point numbers 1..n, thinned to about ten past 12 points (the last always shown). */
function indexTicks(n: number): XTick[] {
  const out: XTick[] = [];
  for (let i = 0; i < n; i++)
    if (n <= 12 || i % Math.ceil(n / 10) === 0 || i === n - 1) out.push({ index: i, label: String(i + 1) });
  return out;
}

/** About `count` evenly spaced tick labels from `labels`. */
export function evenTicks(labels: readonly string[], count = 6): XTick[] {
  if (labels.length === 0) return [];
  const step = Math.max(1, Math.ceil((labels.length - 1) / (count - 1)));
  const out: XTick[] = [];
  for (let i = 0; i < labels.length; i += step) out.push({ index: i, label: labels[i]! });
  return out;
}

/** One polyline per series over the point index, y scaled to the finite values of all series. */
export function lineChart(series: Series[], opts: LineChartOptions): string {
  const W = opts.width ?? 640;
  const H = opts.height ?? 360;
  const m = opts.margin ?? { l: 60, r: 20, t: 40, b: 50 };
  const all = series.flatMap((s) => Array.from(s.values)).filter(Number.isFinite);
  const n = Math.max(...series.map((s) => s.values.length), 2);
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (!(hi > lo)) {
    lo -= 1;
    hi += 1;
  }
  const x = (i: number) => m.l + ((W - m.l - m.r) * i) / (n - 1);
  const y = (v: number) => H - m.b - ((H - m.t - m.b) * (v - lo)) / (hi - lo);
  const ticks = Array.from({ length: 5 }, (_, k) => lo + ((hi - lo) * k) / 4);
  const xTicks = opts.xTicks === 'index' ? indexTicks(n) : (opts.xTicks ?? []);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="15">${escapeXml(opts.title)}</text>`,
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`,
    ...ticks.map(
      (v) =>
        `<text x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end">${v.toPrecision(opts.yPrecision ?? 3)}</text><line x1="${m.l}" x2="${W - m.r}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`,
    ),
    ...xTicks.map(
      (t) =>
        `<text x="${x(t.index)}" y="${H - m.b + 16}" text-anchor="middle">${escapeXml(t.label)}</text><line x1="${x(t.index)}" x2="${x(t.index)}" y1="${H - m.b}" y2="${H - m.b + 4}" stroke="black"/>`,
    ),
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">${escapeXml(opts.xLabel)}</text>`,
    `<text transform="translate(16 ${H / 2}) rotate(-90)" text-anchor="middle">${escapeXml(opts.yLabel)}</text>`,
  ];
  series.forEach((s, k) => {
    const pts = Array.from(s.values, (v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    parts.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="${opts.strokeWidth ?? 2}"${dash} points="${pts}"/>`,
    );
    const ly = m.t + 14 * (k + 1);
    parts.push(
      opts.legend === 'left'
        ? `<text x="${m.l + 8}" y="${ly}" fill="${s.color}">${escapeXml(s.name)}</text>`
        : `<text x="${W - m.r - 4}" y="${ly}" text-anchor="end" fill="${s.color}">${escapeXml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** A confusion matrix: rows = true class, columns = predicted, cells shaded by row share. */
export function heatmap(matrix: number[][], labels: readonly string[], title: string): string {
  const cell = 40;
  const off = 70;
  const size = off + cell * labels.length + 20;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size + 20}" font-family="sans-serif" font-size="11">`,
    `<rect width="${size}" height="${size + 20}" fill="white"/>`,
    `<text x="${size / 2}" y="18" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
    `<text x="${off + (cell * labels.length) / 2}" y="40" text-anchor="middle">predicted</text>`,
    `<text transform="translate(14 ${off + (cell * labels.length) / 2}) rotate(-90)" text-anchor="middle">true</text>`,
  ];
  matrix.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    parts.push(
      `<text x="${off - 6}" y="${off + i * cell + cell / 2 + 4}" text-anchor="end">${escapeXml(labels[i]!)}</text>`,
    );
    row.forEach((v, j) => {
      const share = v / total;
      const shade = Math.round(255 * (1 - share));
      parts.push(
        `<rect x="${off + j * cell}" y="${off + i * cell}" width="${cell}" height="${cell}" fill="rgb(${shade},${shade},255)" stroke="#ccc"/>`,
        `<text x="${off + j * cell + cell / 2}" y="${off + i * cell + cell / 2 + 4}" text-anchor="middle" fill="${share > 0.5 ? 'white' : 'black'}">${v}</text>`,
      );
    });
  });
  labels.forEach((l, j) => {
    parts.push(
      `<text x="${off + j * cell + cell / 2}" y="${off - 6}" text-anchor="middle">${escapeXml(l)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

export interface ScatterPoint {
  x: number;
  y: number;
  /** Drawn next to the point, which is then highlighted. */
  label?: string;
}

/** Points as small grey dots; labelled ones larger, red and named (drawn on top). */
export function scatterChart(
  points: ScatterPoint[],
  opts: { title: string; xLabel: string; yLabel: string },
): string {
  const W = 900;
  const H = 700;
  const m = { l: 50, r: 20, t: 40, b: 50 };
  const range = (v: number[]) => {
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    return hi > lo ? [lo, hi] : [lo - 1, hi + 1];
  };
  const [x0, x1] = range(points.map((p) => p.x)) as [number, number];
  const [y0, y1] = range(points.map((p) => p.y)) as [number, number];
  const x = (v: number) => m.l + ((W - m.l - m.r) * (v - x0)) / (x1 - x0);
  const y = (v: number) => H - m.b - ((H - m.t - m.b) * (v - y0)) / (y1 - y0);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(opts.title)}</text>`,
    `<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#999"/>`,
    `<text x="${W / 2}" y="${H - 14}" text-anchor="middle">${escapeXml(opts.xLabel)}</text>`,
    `<text transform="translate(16 ${H / 2}) rotate(-90)" text-anchor="middle">${escapeXml(opts.yLabel)}</text>`,
  ];
  for (const p of points)
    if (!p.label)
      parts.push(`<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="1.6" fill="#9aa"/>`);
  for (const p of points) {
    if (!p.label) continue;
    const cx = x(p.x);
    const anchor = cx > W * 0.75 ? 'end' : 'start';
    const dx = anchor === 'end' ? -6 : 6;
    parts.push(`<circle cx="${cx.toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="3.5" fill="#d62728"/>`);
    parts.push(
      `<text x="${(cx + dx).toFixed(1)}" y="${(y(p.y) + 4).toFixed(1)}" text-anchor="${anchor}">${escapeXml(p.label)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
