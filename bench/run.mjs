// `pnpm bench`: runs every implementation in its own child process, one after another (the
// machines are shared and small; nothing runs concurrently), prints one table with the ratios
// tsdl/PyTorch and tsdl/TF.js, and writes bench-results.json at the repo root.
//
// The machines drift by ±30 % from one minute to the next, so one pass of each implementation, minutes
// apart, made ratios that swung with the drift (torch's LeNet at 7 961 or 10 680 samples/s in two
// runs a day apart). Instead the implementations run in BENCH_ROUNDS rounds (default 3), each round in the
// opposite order of the last, each measurement for BENCH_SECONDS (default 1 s): the table shows the
// median of each figure over the rounds, and each bar the median of its per-round ratios, whose two
// sides ran close together. TF.js's cpu backend (minutes per round, no bar depends on it) and the
// memory check run once.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_ROUNDS ?? 3)) || 1);
const SECONDS = process.env.BENCH_SECONDS ?? '1';
/** Every measurement, tagged with the round it ran in. */
const measured = [];
const notes = [];
let rss = null;
let torchBlas = null;

function run(label, cmd, args, env = {}, round = 0) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    cwd: here,
    env: { ...process.env, BENCH_SECONDS: SECONDS, ...env },
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
    if (line.startsWith('RESULT ')) measured.push({ ...JSON.parse(line.slice(7)), round });
    else if (line.startsWith('SKIP ')) notes.push(line.slice(5));
    else if (line.startsWith('RSS ')) rss = JSON.parse(line.slice(4));
    else if (line.startsWith('BLAS ')) torchBlas = JSON.parse(line.slice(5));
  }
}

const WORKLOADS = ['sgemm-128', 'sgemm-512', 'sgemm-1024', 'mlp-train', 'lenet-train', 'lstm-train'];

/** [label, command, args, env] of the implementations every round runs. */
const jobs = [
  ['tsdl (1 thread)', process.execPath, ['tsdl.mjs'], {}],
  ['tsdl (2 threads)', process.execPath, ['tsdl.mjs'], { TSDL_THREADS: '2' }],
  ['tfjs-wasm', process.execPath, ['tfjs.mjs', 'wasm'], {}],
];
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
    jobs.push([`torch (${label})`, PY, ['torch_bench.py', String(n), label, ...WORKLOADS], env]);
} else {
  notes.push('PyTorch not found at /usr/bin/python3 (Debian python3-torch): torch columns empty');
}

run('tsdl 3-epoch RSS', process.execPath, ['tsdl.mjs', 'rss']);
run('tfjs-cpu', process.execPath, ['tfjs.mjs', 'cpu']);
for (let round = 0; round < ROUNDS; round++)
  for (const [label, cmd, args, env] of round % 2 === 0 ? jobs : [...jobs].reverse())
    run(`${label}, round ${round + 1}/${ROUNDS}`, cmd, args, env, round);
if (torchBlas?.reference) {
  for (const r of measured) if (r.impl === 'torch') r.setting += '; reference BLAS, not a fair anchor';
  notes.push(
    `torch runs the reference BLAS (${torchBlas.libs.join(', ') || 'no optimized BLAS mapped'}): no tsdl/PyTorch ratio is reported`,
  );
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** One row per workload, implementation, threads and setting: the median over the rounds (their values listed in the setting). */
const rows = [];
{
  const groups = new Map();
  for (const r of measured) {
    const key = JSON.stringify([r.workload, r.impl, r.threads, r.setting, r.unit]);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  for (const rs of groups.values()) {
    const { round: _, ...first } = rs[0];
    const values = rs.map((r) => r.value);
    const setting =
      values.length > 1
        ? `${first.setting}; median of ${values.length} rounds (${values.join(', ')})`
        : first.setting;
    rows.push({ ...first, setting, value: Number(median(values).toPrecision(4)) });
  }
}

writeFileSync(new URL('../bench-results.json', import.meta.url), `${JSON.stringify(rows, null, 2)}\n`);

// ---- table -------------------------------------------------------------------------------------
/** The fastest row of impl on workload w in rs (over thread counts and settings). */
const findIn = (rs, w, impl) =>
  rs
    .filter((r) => r.workload === w && r.impl === impl)
    .reduce((a, b) => (a && a.value >= b.value ? a : b), null);
const find = (w, impl) => findIn(rows, w, impl);
const fmt = (r) => (r ? (r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(2)) : '—');
const ratio = (a, b, ok = true) => (a && b ? (ok ? `${(a.value / b.value).toFixed(2)}×` : 'n/a') : '—');
const fairTorch = !torchBlas?.reference;
const header = [
  'workload',
  'unit',
  'tsdl 1t',
  'tsdl 2t',
  'torch 1t',
  'torch best',
  'tfjs-wasm',
  'tfjs-cpu',
  'ort-node',
  'tsdl/torch 1t',
  'tsdl best/torch best',
  'tsdl/tfjs-wasm',
  'tsdl/tfjs-cpu',
  'tsdl/ort',
];
/** The best row of impl on workload w run with n threads (torch has two 2-thread settings). */
const byThreadsIn = (rs, w, impl, n) =>
  rs
    .filter((r) => r.workload === w && r.impl === impl && r.threads === n)
    .reduce((a, b) => (a && a.value >= b.value ? a : b), null);
const byThreads = (w, impl, n) => byThreadsIn(rows, w, impl, n);
const table = [header];
for (const w of [...WORKLOADS, 'onnx-mlp-infer']) {
  const t = find(w, 'tsdl');
  const tb = find(w, 'torch');
  table.push([
    w,
    t?.unit ?? tb?.unit ?? '',
    fmt(byThreads(w, 'tsdl', 1)),
    fmt(byThreads(w, 'tsdl', 2)),
    fmt(byThreads(w, 'torch', 1)),
    fmt(tb),
    fmt(find(w, 'tfjs-wasm')),
    fmt(find(w, 'tfjs-cpu')),
    fmt(find(w, 'ort-node')),
    ratio(byThreads(w, 'tsdl', 1), byThreads(w, 'torch', 1), fairTorch),
    ratio(t, tb, fairTorch),
    ratio(t, find(w, 'tfjs-wasm')),
    ratio(t, find(w, 'tfjs-cpu')),
    ratio(t, find(w, 'ort-node')),
  ]);
}
const widths = header.map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
for (const r of table) console.log(r.map((c, i) => String(c).padStart(widths[i])).join('  '));
console.log(
  ROUNDS > 1
    ? `(each figure: the median of ${ROUNDS} rounds, each measurement ≥ ${SECONDS} s; the ratios: of those medians)`
    : `(one round, each measurement ≥ ${SECONDS} s)`,
);
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

// The speed issue's bars, checked against this run: each bar's ratio in every round (its two sides
// ran minutes apart at most), and the median of those.
/** [bar, (rows of one round) → [tsdl row, reference row], target] */
const bars = [
  [
    'mlp-train: tsdl 2 threads ≥ 1.2 × torch best',
    (rs) => [byThreadsIn(rs, 'mlp-train', 'tsdl', 2), findIn(rs, 'mlp-train', 'torch')],
    1.2,
  ],
  [
    'mlp-train: tsdl 2 threads ≥ 1.5 × torch 1 thread',
    (rs) => [byThreadsIn(rs, 'mlp-train', 'tsdl', 2), byThreadsIn(rs, 'mlp-train', 'torch', 1)],
    1.5,
  ],
  [
    'mlp-train: tsdl best ≥ 20 × tfjs-wasm',
    (rs) => [findIn(rs, 'mlp-train', 'tsdl'), findIn(rs, 'mlp-train', 'tfjs-wasm')],
    20,
  ],
  [
    'sgemm-1024: tsdl 2 threads ≥ 0.45 × OpenBLAS 2 threads',
    (rs) => [byThreadsIn(rs, 'sgemm-1024', 'tsdl', 2), byThreadsIn(rs, 'sgemm-1024', 'torch', 2)],
    0.45,
  ],
  [
    'sgemm-1024: tsdl 1 thread ≥ 0.55 × OpenBLAS 1 thread',
    (rs) => [byThreadsIn(rs, 'sgemm-1024', 'tsdl', 1), byThreadsIn(rs, 'sgemm-1024', 'torch', 1)],
    0.55,
  ],
  [
    'lenet-train: tsdl best ≥ 0.7 × torch best',
    (rs) => [findIn(rs, 'lenet-train', 'tsdl'), findIn(rs, 'lenet-train', 'torch')],
    0.7,
  ],
  [
    'lstm-train: tsdl best ≥ 0.7 × torch best',
    (rs) => [findIn(rs, 'lstm-train', 'tsdl'), findIn(rs, 'lstm-train', 'torch')],
    0.7,
  ],
];
console.log(
  `\nspeed bars (issue 11), this run: the median of the ${ROUNDS} rounds' ratios (each round's in brackets)`,
);
for (const [what, sides, target] of bars) {
  const torchRef = what.includes('torch') || what.includes('OpenBLAS');
  const perRound = [];
  for (let round = 0; round < ROUNDS; round++) {
    const [a, b] = sides(measured.filter((r) => r.round === round));
    if (a && b) perRound.push(a.value / b.value);
  }
  if (perRound.length === 0 || (torchRef && !fairTorch)) {
    console.log(`  n/a      ${what} (missing or unfair reference)`);
    continue;
  }
  const r = median(perRound);
  console.log(
    `  ${r >= target ? 'met    ' : 'NOT met'}  ${what}: ${r.toFixed(2)}× [${perRound.map((x) => x.toFixed(2)).join(', ')}]`,
  );
}
if (rss)
  console.log(
    `  ${rss.ratio <= 1.2 ? 'met    ' : 'NOT met'}  3-epoch MLP peak RSS ≤ 1.2 × first epoch: ${rss.ratio}`,
  );
for (const n of new Set(notes)) console.log(`note: ${n}`);
console.log(`\nwrote bench-results.json (${rows.length} rows)`);
