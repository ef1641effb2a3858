// Small dependency-free SVG charts for run reports (line chart, labelled heatmap, prediction grid).

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

/** A confusion matrix: rows = true class, columns = predicted, cells shaded by row share. */
export function heatmap(matrix: number[][], labels: string[], title: string): string {
  const cell = 40;
  const off = 70;
  const size = off + cell * labels.length + 20;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size + 20}" font-family="sans-serif" font-size="11">`,
    `<rect width="${size}" height="${size + 20}" fill="white"/>`,
    `<text x="${size / 2}" y="18" text-anchor="middle" font-size="14">${esc(title)}</text>`,
    `<text x="${off + (cell * labels.length) / 2}" y="40" text-anchor="middle">predicted</text>`,
    `<text transform="translate(14 ${off + (cell * labels.length) / 2}) rotate(-90)" text-anchor="middle">true</text>`,
  ];
  matrix.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    parts.push(
      `<text x="${off - 6}" y="${off + i * cell + cell / 2 + 4}" text-anchor="end">${esc(labels[i]!)}</text>`,
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
    parts.push(`<text x="${off + j * cell + cell / 2}" y="${off - 6}" text-anchor="middle">${esc(l)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * A grid of sample predictions: each image (CHW bytes, 32×32) drawn 3× as an embedded PNG with
 * crisp pixels, captioned with the predicted class, green when right and red (with the truth) when wrong.
 */
export function predictionsGrid(
  samples: { image: Uint8Array; label: number; pred: number; prob: number }[],
  classes: readonly string[],
  title: string,
  toPng: (chw: Uint8Array) => Uint8Array,
  cols = 8,
): string {
  const cellW = 120;
  const cellH = 130;
  const rows = Math.ceil(samples.length / cols);
  const W = cols * cellW;
  const H = 40 + rows * cellH;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15">${esc(title)}</text>`,
  ];
  samples.forEach((s, i) => {
    const x = (i % cols) * cellW + (cellW - 96) / 2;
    const y = 40 + Math.floor(i / cols) * cellH;
    const ok = s.pred === s.label;
    const b64 = Buffer.from(toPng(s.image)).toString('base64');
    parts.push(
      `<rect x="${x - 2}" y="${y - 2}" width="100" height="100" fill="${ok ? '#2ca02c' : '#d62728'}"/>`,
      `<image x="${x}" y="${y}" width="96" height="96" style="image-rendering:pixelated" href="data:image/png;base64,${b64}"/>`,
      `<text x="${x + 48}" y="${y + 110}" text-anchor="middle" fill="${ok ? '#2ca02c' : '#d62728'}">${esc(classes[s.pred]!)} ${(s.prob * 100).toFixed(0)}%</text>`,
    );
    if (!ok)
      parts.push(
        `<text x="${x + 48}" y="${y + 123}" text-anchor="middle" fill="#555">(true: ${esc(classes[s.label]!)})</text>`,
      );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
