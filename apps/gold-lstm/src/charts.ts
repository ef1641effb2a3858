// A small dependency-free SVG line chart for run reports (adapted from apps/mnist).

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export interface Series {
  name: string;
  values: ArrayLike<number>;
  color: string;
  /** Dash pattern, e.g. "4 3" (default solid). */
  dash?: string;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Labels under the x axis at these point indices (e.g. dates). */
  xTicks?: { index: number; label: string }[];
}

export function lineChart(series: Series[], opts: ChartOptions): string {
  const W = 720;
  const H = 380;
  const m = { l: 70, r: 20, t: 40, b: 60 };
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
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="15">${esc(opts.title)}</text>`,
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`,
    ...ticks.map(
      (v) =>
        `<text x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end">${v.toPrecision(4)}</text><line x1="${m.l}" x2="${W - m.r}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`,
    ),
    ...(opts.xTicks ?? []).map(
      (t) =>
        `<text x="${x(t.index)}" y="${H - m.b + 16}" text-anchor="middle">${esc(t.label)}</text><line x1="${x(t.index)}" x2="${x(t.index)}" y1="${H - m.b}" y2="${H - m.b + 4}" stroke="black"/>`,
    ),
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">${esc(opts.xLabel)}</text>`,
    `<text transform="translate(16 ${H / 2}) rotate(-90)" text-anchor="middle">${esc(opts.yLabel)}</text>`,
  ];
  series.forEach((s, k) => {
    const pts = Array.from(s.values, (v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.8"${dash} points="${pts}"/>`);
    parts.push(`<text x="${m.l + 8}" y="${m.t + 14 * (k + 1)}" fill="${s.color}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** About `count` evenly spaced tick labels from `labels`. */
export function evenTicks(labels: readonly string[], count = 6): { index: number; label: string }[] {
  if (labels.length === 0) return [];
  const step = Math.max(1, Math.ceil((labels.length - 1) / (count - 1)));
  const out: { index: number; label: string }[] = [];
  for (let i = 0; i < labels.length; i += step) out.push({ index: i, label: labels[i]! });
  return out;
}
