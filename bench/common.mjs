// Shared by the per-implementation bench scripts: timing loop and result lines.

/** Seconds each measurement runs for at least (run.mjs sets BENCH_SECONDS for its rounds). */
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);

/**
 * Warm-up before each timing: at least `warmup` calls and WARMUP_SECONDS. JIT engines tier up over the
 * first calls (tsdl's LeNet step took 85, 42, 50, 40, 40, 35 ms on its first six calls, then ~28–32), so
 * a fixed two calls left part of that in a 1-second measurement. torch_bench.py uses the same rule.
 */
const WARMUP_SECONDS = 0.3;

/** Runs fn for the warm-up, then repeatedly until `minSeconds` pass (at least minIters); returns s/iter. */
export async function timeIt(fn, { warmup = 2, minSeconds = SECONDS, minIters = 3, maxIters = 1e6 } = {}) {
  const w0 = performance.now();
  for (let i = 0; i < warmup || performance.now() - w0 < WARMUP_SECONDS * 1000; i++) await fn();
  let iters = 0;
  const t0 = performance.now();
  while (iters < maxIters && (iters < minIters || performance.now() - t0 < minSeconds * 1000)) {
    await fn();
    iters++;
  }
  return (performance.now() - t0) / 1000 / iters;
}

/** One result row in bench-results.json's schema, printed as a JSON line for run.mjs to collect. */
export function emit(workload, impl, threads, setting, value, unit) {
  const row = { workload, impl, threads, setting, value: Number(value.toPrecision(4)), unit };
  console.log(`RESULT ${JSON.stringify(row)}`);
}

export const SGEMM_SIZES = [128, 512, 1024];
export const sgemmGflops = (n, s) => (2 * n * n * n) / s / 1e9;
/** Workload shapes (the issue's): batch sizes and dims shared by every implementation. */
export const MLP = { batch: 100, dims: [784, 512, 512, 10] };
export const LENET = { batch: 100 };
export const LSTM = { batch: 64, seq: 5, hidden: 64 };
export const ONNX = { batch: 100 };
