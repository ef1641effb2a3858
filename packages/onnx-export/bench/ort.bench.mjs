// Export → onnxruntime inference benchmark: batch-1 latency (p50/p99) and batch-100 throughput for
// the MNIST MLP (784-512-512-10) in onnxruntime-node and onnxruntime-web (wasm), beside tsdl's own
// forward measured in the same run. Prints a table and JSON. Run: pnpm --filter @tsdl/onnx-export bench
import { noGrad, Variable } from '@tsdl/autograd';
import { Linear, ReLU, Sequential } from '@tsdl/nn';
import { Generator, randn } from '@tsdl/tensor';
import { exportOnnx, OnnxSession } from '../dist/index.js';

const g = new Generator(0);
const model = new Sequential(
  new Linear(784, 512, { generator: g }),
  new ReLU(),
  new Linear(512, 512, { generator: g }),
  new ReLU(),
  new Linear(512, 10, { generator: g }),
);
model.eval();
const bytes = exportOnnx(model, [randn([1, 784])]);
const one = randn([1, 784], { generator: g });
const hundred = randn([100, 784], { generator: g });

async function measure(run) {
  for (let i = 0; i < 20; i++) await run(one);
  const lat = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    await run(one);
    lat.push(performance.now() - t);
  }
  lat.sort((a, b) => a - b);
  const reps = 30;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await run(hundred);
  return {
    p50Ms: lat[Math.floor(lat.length * 0.5)],
    p99Ms: lat[Math.floor(lat.length * 0.99)],
    samplesPerSec: (reps * 100) / ((performance.now() - t0) / 1000),
  };
}

const results = [];
results.push({ impl: 'tsdl', ...(await measure(async (x) => noGrad(() => model.forward(new Variable(x))))) });
for (const backend of ['node', 'web']) {
  const s = await OnnxSession.create(bytes, { backend, threads: 1 });
  results.push({ impl: `ort-${backend}`, ...(await measure((x) => s.run({ input: x }))) });
  await s.release();
}
console.log(`MNIST MLP inference (model ${bytes.length} bytes)`);
console.log('impl       batch-1 p50 ms  p99 ms   batch-100 samples/s');
for (const r of results) {
  console.log(
    `${r.impl.padEnd(10)} ${r.p50Ms.toFixed(3).padStart(14)} ${r.p99Ms.toFixed(3).padStart(7)} ${Math.round(r.samplesPerSec).toString().padStart(20)}`,
  );
}
console.log(JSON.stringify({ workload: 'onnx-mlp-inference', modelBytes: bytes.length, results }));
