import { Variable } from '@tsdl/autograd';
import { CrossEntropyLoss, SGD, Sequential, Conv2d, ReLU, MaxPool2d, Flatten, Linear, BatchNorm2d } from '@tsdl/nn';
import { Tensor, Generator, randn } from '@tsdl/tensor';
const which = process.argv[2] ?? 'simple';
const bs = Number(process.argv[3] ?? 100);
const steps = Number(process.argv[4] ?? 10);
const g = new Generator(0);
let model;
if (which === 'simple') model = new Sequential(new Conv2d(3,6,5,{generator:g}), new ReLU(), new MaxPool2d(2,{stride:2}), new Conv2d(6,16,5,{generator:g}), new ReLU(), new MaxPool2d(2,{stride:2}), new Flatten(), new Linear(400,120,{generator:g}), new ReLU(), new Linear(120,84,{generator:g}), new ReLU(), new Linear(84,10,{generator:g}));
else { const w = (process.argv[5] ?? '32,64,128').split(',').map(Number); const blk=(a,b)=>[new Conv2d(a,b,3,{padding:1,bias:false,generator:g}), new BatchNorm2d(b), new ReLU()];
 model = new Sequential(...blk(3,w[0]), ...blk(w[0],w[0]), new MaxPool2d(2), ...blk(w[0],w[1]), ...blk(w[1],w[1]), new MaxPool2d(2), ...blk(w[1],w[2]), new MaxPool2d(2), new Flatten(), new Linear(w[2]*16,10,{generator:g})); }
const opt = new SGD(model.parameters(), { lr: 0.001, momentum: 0.9 });
const lossFn = new CrossEntropyLoss();
const x = randn([bs,3,32,32], {generator: g});
const y = new Tensor(Int32Array.from({length: bs}, (_, i) => i % 10), [bs]);
let t0;
for (let s = 0; s < steps + 2; s++) {
  if (s === 2) t0 = performance.now();
  const loss = lossFn.forward(model.forward(new Variable(x)), y);
  opt.zeroGrad(); loss.backward(); opt.step();
}
const dt = (performance.now() - t0) / 1000;
console.log(which, 'bs', bs, (steps * bs / dt).toFixed(0), 'samples/s');
