// tsdl side of the bench, through the public API (@tsdl/tensor, autograd, nn, onnx-export), plus
// onnxruntime-node on the exported MLP. `node tsdl.mjs [rss]`: `rss` runs only the 3-epoch
// memory check (a fresh process, so its RSS says something).
import { createRequire } from 'node:module';
import { noGrad, reshape, slice, Variable } from '@tsdl/autograd';
import {
  Adam,
  Conv2d,
  CrossEntropyLoss,
  Flatten,
  Linear,
  LSTM as LSTMLayer,
  MaxPool2d,
  Module,
  MSELoss,
  ReLU,
  Sequential,
  SGD,
} from '@tsdl/nn';
import { exportOnnx } from '@tsdl/onnx-export';
import { kernelBackend, matmul, randint, randn, setNumThreads } from '@tsdl/tensor';
import { emit, LENET, LSTM, MLP, ONNX, SGEMM_SIZES, sgemmGflops, timeIt } from './common.mjs';

// TSDL_THREADS=n splits large sgemm calls over n threads (setNumThreads); the default is 1.
const threads = setNumThreads(Number(process.env.TSDL_THREADS ?? 1));
const setting = `kernels ${kernelBackend()}`;

const mlp = () => {
  const [i, h1, h2, o] = MLP.dims;
  return new Sequential(new Linear(i, h1), new ReLU(), new Linear(h1, h2), new ReLU(), new Linear(h2, o));
};

/** One training step through the public nn/optim API (not a fused kernel). */
function stepper(model, opt, lossFn, x, y) {
  const input = new Variable(x);
  return () => {
    const loss = lossFn.forward(model.forward(input), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  };
}

if (process.argv[2] === 'rss') {
  // 3 "epochs" of 100 MLP steps each (10 000 samples, a sixth of MNIST: the growth question is the
  // same), sampling RSS every step. Peak over all three must stay within 1.2× the first epoch's.
  const model = mlp();
  const step = stepper(
    model,
    new Adam(model.parameters(), { lr: 1e-3 }),
    new CrossEntropyLoss(),
    randn([MLP.batch, 784]),
    randint(0, 10, [MLP.batch]),
  );
  const peaks = [];
  for (let e = 0; e < 3; e++) {
    let peak = 0;
    for (let i = 0; i < 100; i++) {
      step();
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    peaks.push(peak);
  }
  const ratio = Math.max(...peaks) / peaks[0];
  console.log(
    `RSS ${JSON.stringify({ epochPeaksMB: peaks.map((p) => +(p / 2 ** 20).toFixed(1)), ratio: +ratio.toFixed(3) })}`,
  );
  process.exit(0);
}

for (const n of SGEMM_SIZES) {
  const a = randn([n, n]);
  const b = randn([n, n]);
  const s = await timeIt(() => matmul(a, b));
  emit(`sgemm-${n}`, 'tsdl', threads, `${setting}; matmul of float32 tensors`, sgemmGflops(n, s), 'GFLOP/s');
}

{
  const model = mlp();
  const s = await timeIt(
    stepper(
      model,
      new Adam(model.parameters(), { lr: 1e-3 }),
      new CrossEntropyLoss(),
      randn([MLP.batch, 784]),
      randint(0, 10, [MLP.batch]),
    ),
  );
  emit('mlp-train', 'tsdl', threads, setting, MLP.batch / s, 'samples/s');
}

{
  const model = new Sequential(
    new Conv2d(3, 6, 5),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(6, 16, 5),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(400, 120),
    new ReLU(),
    new Linear(120, 84),
    new ReLU(),
    new Linear(84, 10),
  );
  const opt = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const s = await timeIt(
    stepper(
      model,
      opt,
      new CrossEntropyLoss(),
      randn([LENET.batch, 3, 32, 32]),
      randint(0, 10, [LENET.batch]),
    ),
  );
  emit('lenet-train', 'tsdl', threads, setting, LENET.batch / s, 'samples/s');
}

{
  class LstmHead extends Module {
    lstm = this.registerModule('lstm', new LSTMLayer(1, LSTM.hidden, { batchFirst: true }));
    fc = this.registerModule('fc', new Linear(LSTM.hidden, 1));
    forward(x) {
      const [out] = this.lstm.forward(x);
      return this.fc.forward(reshape(slice(out, 1, LSTM.seq - 1, LSTM.seq), [LSTM.batch, LSTM.hidden]));
    }
  }
  const model = new LstmHead();
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const s = await timeIt(
    stepper(model, opt, new MSELoss(), randn([LSTM.batch, LSTM.seq, 1]), randn([LSTM.batch, 1])),
  );
  emit('lstm-train', 'tsdl', threads, setting, LSTM.batch / s, 'samples/s');
}

{
  // ONNX MLP inference: tsdl's own forward vs onnxruntime-node on the model tsdl exported.
  const model = mlp().eval();
  const x = randn([ONNX.batch, 784]);
  const s = await timeIt(() => noGrad(() => model.forward(new Variable(x))));
  emit('onnx-mlp-infer', 'tsdl', threads, setting, ONNX.batch / s, 'samples/s');
  // onnxruntime-node is onnx-export's dev dependency; resolve it from there (no second copy).
  const req = createRequire(new URL('../packages/onnx-export/package.json', import.meta.url));
  const ort = req('onnxruntime-node');
  const bytes = exportOnnx(model, x, { inputNames: ['input'], outputNames: ['output'] });
  // onnxruntime's own threads do not depend on TSDL_THREADS: measured once, in the 1-thread run.
  for (const n of threads === 1 ? [1, 2] : []) {
    const sess = await ort.InferenceSession.create(bytes, { intraOpNumThreads: n, interOpNumThreads: 1 });
    const feed = { input: new ort.Tensor('float32', x.toTypedArray(), [ONNX.batch, 784]) };
    const so = await timeIt(() => sess.run(feed));
    emit(
      'onnx-mlp-infer',
      'ort-node',
      n,
      `onnxruntime-node, intraOpNumThreads=${n}`,
      ONNX.batch / so,
      'samples/s',
    );
  }
}
