// Kernel benchmark for @tsdl/tensor: matmul GFLOP/s (square float32) and LeNet-sized conv2d /
// pooling times. Runs on the built package (pnpm --filter @tsdl/tensor build) with plain node:
//   pnpm --filter @tsdl/tensor bench
// Prints a table, then the same results as JSON (also written to bench-results.json).
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import {
  conv2d,
  conv2dGradInput,
  conv2dGradWeight,
  Generator,
  matmul,
  maxPool2d,
  randn,
} from '../dist/index.js';

const generator = new Generator(0);
const rn = (shape) => randn(shape, { generator, dtype: 'float32' });

/** Median wall time (ms) of `samples` calls after `warmup` untimed ones. */
function time(fn, { samples = 7, warmup = 2 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const t = [];
  for (let i = 0; i < samples; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return { medianMs: t[t.length >> 1], minMs: t[0], samples };
}

const rows = [];
const record = (name, shape, flops, r) =>
  rows.push({
    benchmark: name,
    shape,
    medianMs: +r.medianMs.toFixed(3),
    minMs: +r.minMs.toFixed(3),
    gflops: flops ? +(flops / (r.medianMs * 1e6)).toFixed(3) : null,
    samples: r.samples,
  });

for (const n of [128, 512, 1024]) {
  const a = rn([n, n]);
  const b = rn([n, n]);
  const r = time(() => matmul(a, b), { samples: n <= 128 ? 31 : n <= 512 ? 9 : 5, warmup: n <= 512 ? 3 : 1 });
  record('matmul float32', `[${n},${n}]x[${n},${n}]`, 2 * n * n * n, r);
}

const convs = [
  { name: 'LeNet conv1', x: [100, 3, 32, 32], w: [6, 3, 5, 5] },
  { name: 'LeNet conv2', x: [100, 6, 14, 14], w: [16, 6, 5, 5] },
];
for (const c of convs) {
  const x = rn(c.x);
  const w = rn(c.w);
  const b = rn([c.w[0]]);
  const y = conv2d(x, w, b);
  const [N, O, OH, OW] = y.shape;
  const flops = 2 * N * O * OH * OW * c.w[1] * c.w[2] * c.w[3];
  const shape = `x[${c.x}] w[${c.w}]`;
  record(
    `${c.name} forward`,
    shape,
    flops,
    time(() => conv2d(x, w, b)),
  );
  const dy = rn(y.shape);
  record(
    `${c.name} gradInput`,
    shape,
    flops,
    time(() => conv2dGradInput(dy, w, x.shape)),
  );
  record(
    `${c.name} gradWeight`,
    shape,
    flops,
    time(() => conv2dGradWeight(x, dy, w.shape)),
  );
}
{
  const x = rn([100, 6, 28, 28]);
  record(
    'maxPool2d k=2',
    'x[100,6,28,28]',
    null,
    time(() => maxPool2d(x, { kernelSize: 2 })),
  );
}

console.table(rows);
const result = {
  package: '@tsdl/tensor',
  kernels: 'reference (plain TypeScript)',
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  date: new Date().toISOString(),
  results: rows,
};
const json = JSON.stringify(result, null, 2);
console.log(json);
writeFileSync(new URL('../bench-results.json', import.meta.url), `${json}\n`);
