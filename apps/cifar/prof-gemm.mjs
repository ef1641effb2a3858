import { Variable } from '@tsdl/autograd';
import { CrossEntropyLoss, SGD } from '@tsdl/nn';
import { Tensor, setNumThreads } from '@tsdl/tensor';
import { kernels } from '../../packages/tensor/dist/kernels.js';
import { createBetter } from './dist/model.js';
const threads = Number(process.argv[2] ?? 1);
if (threads > 1) await setNumThreads(threads);
const stats = new Map();
const wrap = (name) => { const f = kernels[name]; kernels[name] = (...a) => { const t0 = performance.now(); const r = f(...a); const key = name === 'sgemm' ? `sgemm tA${+a[0]} tB${+a[1]} M${a[2]} N${a[3]} K${a[4]}` : name; const s = stats.get(key) ?? [0, 0]; s[0] += performance.now() - t0; s[1]++; stats.set(key, s); return r; }; };
for (const k of Object.keys(kernels)) wrap(k);
const m = createBetter(0);
const opt = new SGD(m.parameters(), { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
const B = 64;
const x = new Tensor(Float32Array.from({ length: B * 3 * 32 * 32 }, () => Math.random() - 0.5), [B, 3, 32, 32]);
const y = new Tensor(Int32Array.from({ length: B }, (_, i) => i % 10), [B]);
const loss = new CrossEntropyLoss();
const step = () => { const l = loss.forward(m.forward(new Variable(x)), y); opt.zeroGrad(); l.backward(); opt.step(); return l.item(); };
for (let i = 0; i < 2; i++) step();
stats.clear();
const n = 5; const t0 = performance.now();
for (let i = 0; i < n; i++) step();
const dt = (performance.now() - t0) / n;
console.log(`threads ${threads}: ${dt.toFixed(1)} ms/step`);
for (const [k, [t, c]] of [...stats].sort((a, b) => b[1][0] - a[1][0])) {
  const mm = k.match(/M(\d+) N(\d+) K(\d+)/); const gf = mm ? (2 * mm[1] * mm[2] * mm[3] * c / n) / (t / n) / 1e6 : 0;
  console.log(`${(t / n).toFixed(1).padStart(7)} ms  x${(c / n).toFixed(0).padStart(3)}  ${k}${gf ? `  ${gf.toFixed(1)} GFLOP/s` : ''}`);
}
process.exit(0);
