import { readImageFolder, randomSubset } from './dist/dataset.js';
import { trainCnn } from './dist/train.js';
import { RECIPES } from './dist/model.js';
let t = performance.now();
const train = readImageFolder('/tmp/cifar10-images/train');
console.log('train decode', ((performance.now() - t) / 1000).toFixed(1), 's', train.count);
t = performance.now();
const test = readImageFolder('/tmp/cifar10-images/test');
console.log('test decode', ((performance.now() - t) / 1000).toFixed(1), 's');
const lr = Number(process.argv[2] ?? 0.001), bs = Number(process.argv[3] ?? 100);
const sub = randomSubset(train, 10000, 0);
const held = randomSubset(test, 2000, 1);
for (const [lr, bs] of [[0.05,100],[0.01,20],[0.02,32]]) { const res = await trainCnn(sub, { model: "simple", recipe: { ...RECIPES.simple, epochs: 1, lr, batchSize: bs }, seed: 0, test: held }); console.log(lr, bs, JSON.stringify(res.history)); }

