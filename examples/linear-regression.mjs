// Fits y = m·x + b to five points twice: by full-batch gradient descent with @tsdl/nn
// (as one would in PyTorch), then in closed form with linalg.lstsq, and prints both.
import { Linear, MSELoss, SGD, zeros } from '@tsdl/nn';
import { linalg, ones, stack, tensor } from '@tsdl/tensor';

const xs = [1, 2, 3, 4, 5];
const ys = [1, 3, 2, 3, 5];
const X = tensor(xs.map((v) => [v])); // float32 [5, 1]: one feature per sample
const y = tensor(ys.map((v) => [v]));

// Linear(1, 1) starting from m = b = 0 so the run is deterministic (PyTorch's default init is random).
const model = new Linear(1, 1);
zeros(model.weight);
zeros(model.bias);
const lossFn = new MSELoss();
const opt = new SGD(model.parameters(), { lr: 0.01 });
const epochs = 1000;
let loss = Number.NaN;
for (let epoch = 1; epoch <= epochs; epoch++) {
  opt.zeroGrad();
  const l = lossFn.forward(model.forward(X), y);
  l.backward();
  opt.step();
  loss = l.item();
  if (epoch === 1 || epoch % 250 === 0)
    console.log(`epoch ${String(epoch).padStart(4)}  MSE ${loss.toFixed(6)}`);
}
const m = model.weight.item();
const b = model.bias.item();
console.log(`gradient descent (lr 0.01, ${epochs} epochs): m = ${m.toFixed(4)}, b = ${b.toFixed(4)}`);

// Closed form: least squares on the design matrix [x, 1] (float64).
const A = stack([tensor(xs, { dtype: 'float64' }), ones([5], { dtype: 'float64' })], 1);
const [mLs, bLs] = linalg.lstsq(A, tensor(ys, { dtype: 'float64' })).solution.toTypedArray();
console.log(`least squares (linalg.lstsq): m = ${mLs.toFixed(4)}, b = ${bLs.toFixed(4)}`);
