// `pnpm bench`: runs every implementation in its own child process, one after another (the
// machines are shared and small; nothing runs concurrently), prints one table with the ratios
// tsdl/PyTorch and tsdl/TF.js, and writes bench-results.json at the repo root.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const rows = [];
const notes = [];
let rss = null;
let torchBlas = null;

function run(label, cmd, args, env = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    cwd: here,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  process.stderr.write(`bench: ${label} done in ${secs} s\n`);
  if (r.status !== 0) {
    notes.push(
      `${label} failed (exit ${r.status}): ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`,
    );
  }
  for (const line of (r.stdout || '').split('\n')) {
    if (line.startsWith('RESULT ')) rows.push(JSON.parse(line.slice(7)));
    else if (line.startsWith('SKIP ')) notes.push(line.slice(5));
    else if (line.startsWith('RSS ')) rss = JSON.parse(line.slice(4));
    else if (line.startsWith('BLAS ')) torchBlas = JSON.parse(line.slice(5));
  }
}

const WORKLOADS = ['sgemm-128', 'sgemm-512', 'sgemm-1024', 'mlp-train', 'lenet-train', 'lstm-train'];

run('tsdl', process.execPath, ['tsdl.mjs']);
run('tsdl 3-epoch RSS', process.execPath, ['tsdl.mjs', 'rss']);
run('tfjs-wasm', process.execPath, ['tfjs.mjs', 'wasm']);
run('tfjs-cpu', process.execPath, ['tfjs.mjs', 'cpu']);

const PY = '/usr/bin/python3';
const hasTorch = existsSync(PY) && spawnSync(PY, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
if (hasTorch) {
  // The measured best settings on 2-core machines: 1 thread; 2 threads with a passive
  // OpenMP wait policy (MLP); 2 OpenMP threads but single-threaded OpenBLAS (LeNet).
  const settings = [
    [1, 'OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1', { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' }],
    [
      2,
      'OMP_WAIT_POLICY=passive OPENBLAS_NUM_THREADS=2',
      { OMP_WAIT_POLICY: 'passive', OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2' },
    ],
    [2, 'OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=1', { OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '1' }],
  ];
  for (const [n, label, env] of settings)
    run(`torch (${label})`, PY, ['torch_bench.py', String(n), label, ...WORKLOADS], env);
  if (torchBlas?.reference) {
    for (const r of rows) if (r.impl === 'torch') r.setting += '; reference BLAS, not a fair anchor';
    notes.push(
      `torch runs the reference BLAS (${torchBlas.libs.join(', ') || 'no optimized BLAS mapped'}): no tsdl/PyTorch ratio is reported`,
    );
  }
} else {
  notes.push('PyTorch not found at /usr/bin/python3 (Debian python3-torch): torch columns empty');
}

writeFileSync(new URL('../bench-results.json', import.meta.url), `${JSON.stringify(rows, null, 2)}\n`);

// ---- table -------------------------------------------------------------------------------------
const find = (w, impl, pick = 'max') => {
  const rs = rows.filter((r) => r.workload === w && r.impl === impl);
  if (rs.length === 0) return null;
  return rs.reduce((a, b) => (pick === 'max' ? (b.value > a.value ? b : a) : b.threads < a.threads ? b : a));
};
const fmt = (r) => (r ? (r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(2)) : '—');
const ratio = (a, b, ok = true) => (a && b ? (ok ? `${(a.value / b.value).toFixed(2)}×` : 'n/a') : '—');
const fairTorch = !torchBlas?.reference;
const header = [
  'workload',
  'unit',
  'tsdl',
  'torch best',
  'torch 1t',
  'tfjs-wasm',
  'tfjs-cpu',
  'ort-node',
  'tsdl/torch best',
  'tsdl/torch 1t',
  'tsdl/tfjs-wasm',
  'tsdl/tfjs-cpu',
  'tsdl/ort',
];
const table = [header];
for (const w of [...WORKLOADS, 'onnx-mlp-infer']) {
  const t = find(w, 'tsdl');
  const tb = find(w, 'torch');
  const t1 = rows.find((r) => r.workload === w && r.impl === 'torch' && r.threads === 1) ?? null;
  const tw = find(w, 'tfjs-wasm');
  const tc = find(w, 'tfjs-cpu');
  const ort = find(w, 'ort-node');
  table.push([
    w,
    t?.unit ?? tb?.unit ?? '',
    fmt(t),
    fmt(tb),
    fmt(t1),
    fmt(tw),
    fmt(tc),
    fmt(ort),
    ratio(t, tb, fairTorch),
    ratio(t, t1, fairTorch),
    ratio(t, tw),
    ratio(t, tc),
    ratio(t, ort),
  ]);
}
const widths = header.map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
for (const r of table) console.log(r.map((c, i) => String(c).padStart(widths[i])).join('  '));
console.log('\ntorch best = best of its thread settings per workload:');
for (const w of WORKLOADS) {
  const tb = find(w, 'torch');
  if (tb) console.log(`  ${w}: ${tb.setting} (${tb.threads} thread${tb.threads > 1 ? 's' : ''})`);
}
if (torchBlas)
  console.log(
    `torch BLAS: ${torchBlas.reference ? 'REFERENCE (not a fair anchor)' : 'optimized'} — ${torchBlas.libs.join(', ')}`,
  );
if (rss)
  console.log(
    `3-epoch MLP peak RSS per epoch (MB): ${rss.epochPeaksMB.join(', ')}; max/first = ${rss.ratio} (target ≤ 1.2)`,
  );
for (const n of notes) console.log(`note: ${n}`);
console.log(`\nwrote bench-results.json (${rows.length} rows)`);
