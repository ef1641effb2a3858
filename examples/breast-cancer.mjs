// Logistic regression and a one-hidden-layer network on the Wisconsin breast-cancer data
// (scikit-learn's copy, see data/LICENSE-scikit-learn.txt): seeded 80/20 split, min-max scaling
// fitted on the training rows only, full-batch Adam, then test accuracy/precision/recall/F1.
import { readFileSync } from 'node:fs';
import { MinMaxScaler, readCsv } from '@tsdl/data';
import { accuracy, confusionMatrix, f1, precision, recall } from '@tsdl/metrics';
import { Adam, BCEWithLogitsLoss, Linear, ReLU, Sequential } from '@tsdl/nn';
import { Generator, indexSelect, randperm } from '@tsdl/tensor';

const SEED = 42;
const EPOCHS = 1000;

// First line: "569,30,malignant,benign" (counts and class names); then 30 features and the target.
const text = readFileSync(new URL('./data/breast_cancer.csv', import.meta.url), 'utf8');
const [meta, ...lines] = text.trimEnd().split('\n');
const [nSamples, nFeatures, ...classNames] = meta.split(',');
const table = readCsv(lines.join('\n'), { header: false });
const features = table.columns.slice(0, Number(nFeatures));
const X = table.toTensor(features); // float32 [569, 30]
const y = table.toTensor([table.columns[Number(nFeatures)]]); // float32 [569, 1]: 0 malignant, 1 benign
console.log(`${nSamples} samples, ${nFeatures} features, classes 0 = ${classNames[0]}, 1 = ${classNames[1]}`);

const g = new Generator(SEED);
const perm = randperm(X.shape[0], { generator: g });
const nTrain = Math.floor(0.8 * X.shape[0]);
const trainIdx = perm.slice(0, 0, nTrain);
const testIdx = perm.slice(0, nTrain);
const scaler = new MinMaxScaler().fit(indexSelect(X, 0, trainIdx)); // test rows stay unseen
const xTrain = scaler.transform(indexSelect(X, 0, trainIdx));
const xTest = scaler.transform(indexSelect(X, 0, testIdx));
const yTrain = indexSelect(y, 0, trainIdx);
const yTest = Array.from(indexSelect(y, 0, testIdx).toTypedArray());
console.log(`train ${nTrain} rows, test ${yTest.length} rows (seed ${SEED}); features scaled to [0, 1]`);

function fit(name, model) {
  const opt = new Adam(model.parameters(), { lr: 0.01 });
  const lossFn = new BCEWithLogitsLoss(); // sigmoid + BCE in one stable step
  let loss = Number.NaN;
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    opt.zeroGrad();
    const l = lossFn.forward(model.forward(xTrain), yTrain);
    l.backward();
    opt.step();
    loss = l.item();
  }
  // logit > 0 ⇔ sigmoid > 0.5 ⇔ benign. Malignant (0) is the positive class for the metrics.
  const pred = Array.from(model.forward(xTest).data.toTypedArray(), (z) => (z > 0 ? 1 : 0));
  const opts = { posLabel: 0 };
  const r = {
    accuracy: accuracy(yTest, pred),
    precision: precision(yTest, pred, opts),
    recall: recall(yTest, pred, opts),
    f1: f1(yTest, pred, opts),
  };
  console.log(
    `${name.padEnd(22)} train BCE ${loss.toFixed(4)}  test accuracy ${r.accuracy.toFixed(4)}  ` +
      `precision ${r.precision.toFixed(4)}  recall ${r.recall.toFixed(4)}  F1 ${r.f1.toFixed(4)}  ` +
      `confusion ${JSON.stringify(confusionMatrix(yTest, pred, { labels: [0, 1] }))}`,
  );
}

fit('logistic regression', new Linear(30, 1, { generator: g }));
fit(
  'MLP 30-16-1 (ReLU)',
  new Sequential(new Linear(30, 16, { generator: g }), new ReLU(), new Linear(16, 1, { generator: g })),
);
