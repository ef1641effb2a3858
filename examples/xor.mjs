// Learns XOR with a 2-3-1 network (ReLU hidden layer, sigmoid output), BCELoss and plain SGD,
// the smallest problem a linear model cannot solve. Seeded so every run is the same.
import { BCELoss, Linear, ReLU, Sequential, SGD, Sigmoid } from '@tsdl/nn';
import { Generator, tensor } from '@tsdl/tensor';

const SEED = Number(process.env.XOR_SEED ?? 0);
const EPOCHS = Number(process.env.XOR_EPOCHS ?? 2000);

const X = tensor([
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
]);
const y = tensor([[0], [1], [1], [0]]);
const g = new Generator(SEED);
const model = new Sequential(
  new Linear(2, 3, { generator: g }),
  new ReLU(),
  new Linear(3, 1, { generator: g }),
  new Sigmoid(),
);
const lossFn = new BCELoss();
const opt = new SGD(model.parameters(), { lr: 0.1 });
let loss = Number.NaN;
for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  opt.zeroGrad();
  const l = lossFn.forward(model.forward(X), y);
  l.backward();
  opt.step();
  loss = l.item();
  if (epoch === 1 || epoch % (EPOCHS / 4) === 0)
    console.log(`epoch ${String(epoch).padStart(5)}  BCE ${loss.toFixed(4)}`);
}
const out = model.forward(X).data.toTypedArray();
console.log(`seed ${SEED}, SGD lr 0.1, ${EPOCHS} epochs (full batch)`);
for (let i = 0; i < 4; i++) {
  const [a, b] = [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ][i];
  console.log(`xor(${a}, ${b}) = ${a ^ b}  predicted ${out[i].toFixed(4)} → ${out[i] > 0.5 ? 1 : 0}`);
}
