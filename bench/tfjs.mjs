// TF.js side of the bench: `node tfjs.mjs cpu|wasm`. The umbrella @tensorflow/tfjs package (layers
// need it); never tfjs-node. The wasm backend is single-threaded in Node and has no
// Conv2DBackpropFilter, so it cannot train LeNet (reported as skipped, not as a number).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { emit, LENET, LSTM, MLP, SECONDS, SGEMM_SIZES, sgemmGflops, timeIt } from './common.mjs';

const backend = process.argv[2] ?? 'cpu';
const impl = `tfjs-${backend}`;
if (backend === 'wasm')
  setWasmPaths(`${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'))}/`);
if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend ${backend} unavailable`);
const setting = `@tensorflow/tfjs ${tf.version.tfjs}, backend ${backend}`;
// The cpu backend is very slow: short runs keep the whole bench within minutes.
const budget = backend === 'cpu' ? { warmup: 1, minSeconds: 1, minIters: 1 } : { minSeconds: SECONDS };

for (const n of SGEMM_SIZES) {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const s = await timeIt(() => tf.tidy(() => tf.matMul(a, b)).dataSync(), budget);
  emit(`sgemm-${n}`, impl, 1, setting, sgemmGflops(n, s), 'GFLOP/s');
  tf.dispose([a, b]);
}

async function trainStep(model, x, y) {
  await model.trainOnBatch(x, y);
}

{
  const [i, h1, h2, o] = MLP.dims;
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [i], units: h1, activation: 'relu' }),
      tf.layers.dense({ units: h2, activation: 'relu' }),
      tf.layers.dense({ units: o }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: (yt, yp) => tf.losses.softmaxCrossEntropy(yt, yp),
  });
  const x = tf.randomNormal([MLP.batch, i]);
  const y = tf.oneHot(tf.randomUniform([MLP.batch], 0, o, 'int32'), o);
  const s = await timeIt(() => trainStep(model, x, y), budget);
  emit('mlp-train', impl, 1, setting, MLP.batch / s, 'samples/s');
}

if (backend !== 'wasm') {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 6, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 120, activation: 'relu' }),
      tf.layers.dense({ units: 84, activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
  model.compile({
    optimizer: tf.train.momentum(0.01, 0.9),
    loss: (yt, yp) => tf.losses.softmaxCrossEntropy(yt, yp),
  });
  const x = tf.randomNormal([LENET.batch, 32, 32, 3]);
  const y = tf.oneHot(tf.randomUniform([LENET.batch], 0, 10, 'int32'), 10);
  const s = await timeIt(() => trainStep(model, x, y), { warmup: 1, minSeconds: 0, minIters: 1 });
  emit('lenet-train', impl, 1, setting, LENET.batch / s, 'samples/s');
} else {
  console.log(
    'SKIP lenet-train tfjs-wasm: the wasm backend has no Conv2DBackpropFilter (cannot train a CNN)',
  );
}

{
  const model = tf.sequential({
    layers: [
      tf.layers.lstm({ inputShape: [LSTM.seq, 1], units: LSTM.hidden }),
      tf.layers.dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const x = tf.randomNormal([LSTM.batch, LSTM.seq, 1]);
  const y = tf.randomNormal([LSTM.batch, 1]);
  const s = await timeIt(() => trainStep(model, x, y), budget);
  emit('lstm-train', impl, 1, setting, LSTM.batch / s, 'samples/s');
}
