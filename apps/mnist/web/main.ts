import * as ort from 'onnxruntime-web/webgpu';
import { toMnist } from '../src/preprocess.js';

// ---- drawing ----
const draw = document.getElementById('draw') as HTMLCanvasElement;
const ctx = draw.getContext('2d', { willReadFrequently: true })!;
const clear = () => {
  ctx.fillStyle = 'black';
  ctx.fillRect(0, 0, draw.width, draw.height);
};
clear();
let drawing = false;
const pos = (e: PointerEvent) => {
  const r = draw.getBoundingClientRect();
  return [e.clientX - r.left, e.clientY - r.top] as const;
};
draw.addEventListener('pointerdown', (e) => {
  drawing = true;
  const [x, y] = pos(e);
  ctx.beginPath();
  ctx.moveTo(x, y);
});
draw.addEventListener('pointermove', (e) => {
  if (!drawing) return;
  const [x, y] = pos(e);
  ctx.strokeStyle = 'white';
  ctx.lineWidth = 18;
  ctx.lineCap = 'round';
  ctx.lineTo(x, y);
  ctx.stroke();
});
draw.addEventListener('pointerup', () => {
  drawing = false;
  void predict();
});
document.getElementById('clear')!.addEventListener('click', clear);
document.getElementById('predict')!.addEventListener('click', () => void predict());

/** Paints a 28×28 digit (values in [0,1]) as 10×10 blocks: used by the end-to-end test. */
function paintDigit(pixels: ArrayLike<number>): void {
  const img = ctx.createImageData(280, 280);
  for (let y = 0; y < 280; y++) {
    for (let x = 0; x < 280; x++) {
      const v = Math.round(255 * pixels[Math.floor(y / 10) * 28 + Math.floor(x / 10)]!);
      const o = (y * 280 + x) * 4;
      img.data[o] = img.data[o + 1] = img.data[o + 2] = v;
      img.data[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

function canvasInput(): Float32Array {
  const { data, width, height } = ctx.getImageData(0, 0, draw.width, draw.height);
  const pixels = new Float32Array(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = data[i * 4]! / 255;
  return toMnist({ width, height, pixels });
}

// ---- inference with onnxruntime-web: WebGPU when the browser has it, wasm otherwise ----
let session: Promise<{ s: ort.InferenceSession; backend: string }> | null = null;
function getSession() {
  session ??= (async () => {
    ort.env.wasm.numThreads = 1;
    const model = new URLSearchParams(location.search).get('model') ?? './model.onnx';
    const bytes = new Uint8Array(await (await fetch(model)).arrayBuffer());
    const hasGpu =
      'gpu' in navigator &&
      (await (navigator as unknown as { gpu: { requestAdapter(): Promise<unknown> } }).gpu
        .requestAdapter()
        .catch(() => null));
    const providers = hasGpu ? ['webgpu', 'wasm'] : ['wasm'];
    const s = await ort.InferenceSession.create(bytes, { executionProviders: providers });
    return { s, backend: hasGpu ? 'webgpu' : 'wasm' };
  })();
  return session;
}

async function predict(): Promise<{ label: number; probs: number[]; input: number[] }> {
  const input = canvasInput();
  const { s, backend } = await getSession();
  const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', input, [1, 784]) });
  const logits = out[s.outputNames[0]!]!.data as Float32Array;
  const m = Math.max(...logits);
  const e = Array.from(logits, (v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  const probs = e.map((v) => v / z);
  const label = probs.indexOf(Math.max(...probs));
  document.getElementById('prediction')!.textContent = String(label);
  document.getElementById('backend')!.textContent = `(onnxruntime-web, ${backend})`;
  document.getElementById('probs')!.innerHTML = probs
    .map(
      (p, i) =>
        `<div class="bar">${i} <span class="fill" style="width:${Math.round(p * 200)}px"></span> ${p.toFixed(3)}</div>`,
    )
    .join('');
  return { label, probs, input: Array.from(input) };
}

// ---- training in a worker, with a live loss chart ----
const lossCanvas = document.getElementById('loss') as HTMLCanvasElement;
const lossCtx = lossCanvas.getContext('2d')!;
const losses: number[] = [];
function plotLoss(): void {
  const { width: W, height: H } = lossCanvas;
  lossCtx.fillStyle = 'white';
  lossCtx.fillRect(0, 0, W, H);
  lossCtx.strokeStyle = '#888';
  lossCtx.strokeRect(0, 0, W, H);
  if (losses.length < 2) return;
  const hi = Math.max(...losses);
  lossCtx.strokeStyle = '#d62728';
  lossCtx.beginPath();
  losses.forEach((l, i) => {
    const x = (i / (losses.length - 1)) * (W - 10) + 5;
    const y = H - 5 - (l / hi) * (H - 10);
    if (i === 0) lossCtx.moveTo(x, y);
    else lossCtx.lineTo(x, y);
  });
  lossCtx.stroke();
}
plotLoss();

function train(maxSteps?: number): Promise<number[]> {
  const status = document.getElementById('train-status')!;
  losses.length = 0;
  const worker = new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent) => {
      const m = e.data as {
        type: string;
        step?: number;
        steps?: number;
        loss?: number;
        samplesPerSec?: number;
        message?: string;
      };
      if (m.type === 'step') {
        losses.push(m.loss!);
        status.textContent = `step ${m.step}/${m.steps} · loss ${m.loss!.toFixed(4)} · ${Math.round(m.samplesPerSec!)} samples/s`;
        plotLoss();
      } else if (m.type === 'done') {
        status.textContent += ' · done';
        worker.terminate();
        resolve([...losses]);
      } else if (m.type === 'error') {
        status.textContent = `error: ${m.message}`;
        worker.terminate();
        reject(new Error(m.message));
      }
    };
    worker.postMessage({ maxSteps, dataUrl: new URL('./digits.bin', location.href).href });
  });
}
document.getElementById('train')!.addEventListener('click', () => void train());

// Hooks for the end-to-end test.
Object.assign(window, { tsdlMnist: { paintDigit, predict, train } });
