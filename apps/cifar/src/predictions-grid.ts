// A grid of sample predictions as an SVG report (the generic charts come from @tsdl/app-kit).
import { escapeXml as esc } from '@tsdl/app-kit';

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
