// Small dependency-free SVG charts for run reports (a line chart from apps/mnist, and a labelled scatter plot).

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export interface Series {
  name: string;
  values: number[];
  color: string;
}

export function lineChart(series: Series[], opts: { title: string; xLabel: string; yLabel: string }): string {
  const W = 640;
  const H = 360;
  const m = { l: 60, r: 20, t: 40, b: 50 };
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
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
        `<text x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end">${v.toPrecision(3)}</text><line x1="${m.l}" x2="${W - m.r}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`,
    ),
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">${esc(opts.xLabel)}</text>`,
    `<text transform="translate(16 ${H / 2}) rotate(-90)" text-anchor="middle">${esc(opts.yLabel)}</text>`,
  ];
  series.forEach((s, k) => {
    const pts = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts}"/>`);
    parts.push(
      `<text x="${W - m.r - 4}" y="${m.t + 14 * (k + 1)}" text-anchor="end" fill="${s.color}">${esc(s.name)}</text>`,
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

/** Points as small grey dots; labelled ones larger, red and named. */
export function scatterChart(
  points: ScatterPoint[],
  opts: { title: string; xLabel: string; yLabel: string },
): string {
  const W = 900;
  const H = 700;
  const m = { l: 50, r: 20, t: 40, b: 50 };
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const range = (v: number[]) => {
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    return hi > lo ? [lo, hi] : [lo - 1, hi + 1];
  };
  const [x0, x1] = range(xs) as [number, number];
  const [y0, y1] = range(ys) as [number, number];
  const x = (v: number) => m.l + ((W - m.l - m.r) * (v - x0)) / (x1 - x0);
  const y = (v: number) => H - m.b - ((H - m.t - m.b) * (v - y0)) / (y1 - y0);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(opts.title)}</text>`,
    `<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#999"/>`,
    `<text x="${W / 2}" y="${H - 14}" text-anchor="middle">${esc(opts.xLabel)}</text>`,
    `<text transform="translate(16 ${H / 2}) rotate(-90)" text-anchor="middle">${esc(opts.yLabel)}</text>`,
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
      `<text x="${(cx + dx).toFixed(1)}" y="${(y(p.y) + 4).toFixed(1)}" text-anchor="${anchor}">${esc(p.label)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
