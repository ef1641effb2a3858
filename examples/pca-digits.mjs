// PCA of scikit-learn's 8×8 handwritten digits (1797 images, 64 pixels; see data/LICENSE-scikit-learn.txt)
// down to two components with linalg.pca: prints the explained variance ratio and draws the 2-D
// projection, one colour per digit, as an SVG in examples/out/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { linalg, tensor } from '@tsdl/tensor';

const rows = gunzipSync(readFileSync(new URL('./data/digits.csv.gz', import.meta.url)))
  .toString('utf8')
  .trimEnd()
  .split('\n')
  .map((line) => line.split(',').map(Number));
const labels = rows.map((r) => r[64]);
const X = tensor(
  rows.map((r) => r.slice(0, 64)),
  { dtype: 'float64' },
); // [1797, 64], pixels 0..16
console.log(`digits: ${X.shape[0]} images × ${X.shape[1]} pixels`);

const pca = linalg.pca(X, 2);
const ratio = Array.from(pca.explainedVarianceRatio.toTypedArray());
console.log(
  `explained variance ratio: PC1 ${ratio[0].toFixed(6)}, PC2 ${ratio[1].toFixed(6)} (together ${(ratio[0] + ratio[1]).toFixed(4)})`,
);
const Z = pca.transform(X).toTypedArray(); // row-major [1797, 2]

// Scatter plot: 640×480, points coloured by digit, legend on the right.
const W = 640,
  H = 480,
  M = 40,
  LEGEND = 70;
const xs = Z.filter((_, i) => i % 2 === 0),
  ys = Z.filter((_, i) => i % 2 === 1);
const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
const sx = (v) => M + ((v - x0) / (x1 - x0)) * (W - 2 * M - LEGEND);
const sy = (v) => H - M - ((v - y0) / (y1 - y0)) * (H - 2 * M);
const colours = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];
const dots = labels.map(
  (d, i) =>
    `<circle cx="${sx(xs[i]).toFixed(1)}" cy="${sy(ys[i]).toFixed(1)}" r="2.5" fill="${colours[d]}" fill-opacity="0.7"/>`,
);
const legend = colours.map(
  (c, d) =>
    `<circle cx="${W - LEGEND + 10}" cy="${M + 10 + d * 20}" r="5" fill="${c}"/><text x="${W - LEGEND + 22}" y="${M + 14 + d * 20}">${d}</text>`,
);
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">
<title>2-D PCA projection of scikit-learn's 8×8 digits, coloured by digit</title>
<rect width="100%" height="100%" fill="white"/>
<text x="${M}" y="24" font-size="14">PCA of 8×8 digits: PC1 ${(100 * ratio[0]).toFixed(1)} % vs PC2 ${(100 * ratio[1]).toFixed(1)} % of the variance</text>
<rect x="${M}" y="${M}" width="${W - 2 * M - LEGEND}" height="${H - 2 * M}" fill="none" stroke="#999"/>
${dots.join('\n')}
${legend.join('\n')}
<text x="${(W - LEGEND) / 2}" y="${H - 12}" text-anchor="middle">PC1</text>
<text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">PC2</text>
</svg>
`;
const outDir = new URL('./out/', import.meta.url);
mkdirSync(outDir, { recursive: true });
const file = new URL('pca-digits.svg', outDir);
writeFileSync(file, svg);
console.log(`wrote ${file.pathname} (${labels.length} points)`);
