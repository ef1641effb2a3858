// Parity with PyTorch 1.13: the fixtures come from /fixtures/make-torch-parity.py. Each model is built
// from tsdl's nn layers, loads PyTorch's state_dict as saved (strict, no key mapping), and must give
// PyTorch's outputs, loss, parameter and input gradients, and parameters after optimizer steps.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Input, reshape, slice, Variable } from '@tsdl/autograd';
import type { Tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { ReLU } from './activations.js';
import { Conv2d } from './conv2d.js';
import { CrossEntropyLoss } from './cross-entropy-loss.js';
import { Flatten } from './flatten.js';
import { GRU } from './gru.js';
import { Linear } from './linear.js';
import { LSTM } from './lstm.js';
import { Module } from './module.js';
import { MSELoss } from './mse-loss.js';
import { Adam } from './optim/adam.js';
import { SGD } from './optim/sgd.js';
import { MaxPool2d } from './pooling.js';
import { loadSafetensors } from './safetensors.js';
import { Sequential } from './sequential.js';
import { torchComparer } from './test-utils/torch-compare.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

async function fixture(name: string): Promise<Record<string, Tensor>> {
  const path = `${FIXTURES}${name}.safetensors`;
  if (!existsSync(path))
    throw new Error(`missing fixture ${path}: run /usr/bin/python3 fixtures/make-torch-parity.py`);
  return loadSafetensors(path);
}

function get(rec: Record<string, Tensor>, key: string): Tensor {
  const t = rec[key];
  if (!t) throw new Error(`fixture has no tensor '${key}' (has ${Object.keys(rec).join(', ')})`);
  return t;
}

/** Worst errors per comparison are printed at the end, so the report shows how close each came. */
const expectClose = torchComparer('torch parity');

const mlp = () => new Sequential(new Linear(784, 32), new ReLU(), new Linear(32, 10));

const lenet = () =>
  new Sequential(
    new Conv2d(3, 6, 5),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(6, 16, 5),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(16 * 5 * 5, 120),
    new ReLU(),
    new Linear(120, 84),
    new ReLU(),
    new Linear(84, 10),
  );

/** The script's LstmHead: LSTM over the sequence, Linear on the last step's output. */
class LstmHead extends Module {
  readonly lstm = this.registerModule('lstm', new LSTM(3, 8, { numLayers: 2, batchFirst: true }));
  readonly fc = this.registerModule('fc', new Linear(8, 1));

  forward(x: Input): Variable {
    const [out] = this.lstm.forward(x);
    const [n, t, h] = out.shape as [number, number, number];
    return this.fc.forward(reshape(slice(out, 1, t - 1, t), [n, h]));
  }
}

/** Loads the state dict strictly, runs forward + loss + backward and compares everything saved. */
async function checkCase(
  name: string,
  model: Module & { forward(x: Input): Variable },
  loss: { forward(y: Input, t: Input): Variable },
  tol: number,
): Promise<void> {
  const state = await fixture(`torch-parity-${name}.state`);
  const rec = await fixture(`torch-parity-${name}`);
  expect(Object.keys(model.stateDict()).sort()).toEqual(Object.keys(state).sort());
  model.loadStateDict(state, { strict: true });
  const x = new Variable(get(rec, 'input'), true);
  const out = model.forward(x);
  expectClose(`${name} output`, out.data, get(rec, 'output'), tol);
  const l = loss.forward(out, get(rec, 'target'));
  expectClose(`${name} loss`, l.data.reshape([]), get(rec, 'loss'), tol);
  l.backward();
  expectClose(`${name} grad.input`, x.grad, get(rec, 'grad.input'), tol);
  const gradKeys = Object.keys(rec).filter((k) => k.startsWith('grad.') && k !== 'grad.input');
  expect(gradKeys.sort()).toEqual(
    model
      .namedParameters()
      .map(([k]) => `grad.${k}`)
      .sort(),
  );
  for (const [k, p] of model.namedParameters())
    expectClose(`${name} grad.${k}`, p.grad, get(rec, `grad.${k}`), tol);
}

/**
 * A bare recurrent layer from its PyTorch state dict, run with the saved initial states (or none), and
 * the script's loss Σ output·w.output + Σ h_n·w.h_n (+ Σ c_n·w.c_n): outputs, final states, loss, and
 * the gradients of the input, the initial states and every parameter.
 */
async function checkRecurrentCase(name: string, model: LSTM | GRU, tol: number): Promise<void> {
  const state = await fixture(`torch-parity-${name}.state`);
  const rec = await fixture(`torch-parity-${name}`);
  expect(Object.keys(model.stateDict()).sort()).toEqual(Object.keys(state).sort());
  model.loadStateDict(state, { strict: true });
  const x = new Variable(get(rec, 'input'), true);
  const inits = ['h0', 'c0']
    .filter((k) => k in rec)
    .map((k) => [k, new Variable(get(rec, k), true)] as const);
  let out: Variable;
  const finals: [string, Variable][] = [];
  if (model instanceof LSTM) {
    const [o, [h, c]] = model.forward(x, inits.length ? [inits[0]![1], inits[1]![1]] : undefined);
    out = o;
    finals.push(['h_n', h], ['c_n', c]);
  } else {
    const [o, h] = model.forward(x, inits[0]?.[1]);
    out = o;
    finals.push(['h_n', h]);
  }
  let loss: Variable | undefined;
  for (const [k, v] of [['output', out] as [string, Variable], ...finals]) {
    expectClose(`${name} ${k}`, v.data, get(rec, k), tol);
    const term = v.mul(get(rec, `w.${k}`)).sum();
    loss = loss ? loss.add(term) : term;
  }
  expectClose(`${name} loss`, loss!.data.reshape([]), get(rec, 'loss'), tol);
  loss!.backward();
  expectClose(`${name} grad.input`, x.grad, get(rec, 'grad.input'), tol);
  for (const [k, v] of inits) expectClose(`${name} grad.${k}`, v.grad, get(rec, `grad.${k}`), tol);
  const paramGrads = Object.keys(rec).filter(
    (k) => k.startsWith('grad.') && !/^grad\.(input|h0|c0)$/.test(k),
  );
  expect(paramGrads.sort()).toEqual(
    model
      .namedParameters()
      .map(([k]) => `grad.${k}`)
      .sort(),
  );
  for (const [k, p] of model.namedParameters())
    expectClose(`${name} grad.${k}`, p.grad, get(rec, `grad.${k}`), tol);
}

describe('PyTorch parity', () => {
  it('MLP 784→32→10 (Linear, ReLU, CrossEntropyLoss): output, loss, every gradient', async () => {
    await checkCase('mlp', mlp(), new CrossEntropyLoss(), 1e-5);
  });

  it('LeNet-style CNN (Conv2d, ReLU, MaxPool2d, Flatten, Linear): output, loss, every gradient', async () => {
    await checkCase('lenet', lenet(), new CrossEntropyLoss(), 1e-4);
  });

  it('2-layer batch-first LSTM + Linear on the last step (MSELoss): output, loss, every gradient', async () => {
    await checkCase('lstm', new LstmHead(), new MSELoss(), 1e-5);
  });

  it('2-layer bidirectional batch-first LSTM with given h0, c0: output, h_n, c_n, every gradient', async () => {
    await checkRecurrentCase(
      'birnn-lstm',
      new LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true }),
      1e-5,
    );
  });

  it('bidirectional GRU from zero state: output, h_n, every gradient', async () => {
    await checkRecurrentCase('birnn-gru', new GRU(3, 4, { bidirectional: true }), 1e-5);
  });

  for (const [opt, make] of [
    ['adam', (m: Module) => new Adam(m.parameters(), { lr: 1e-3 })],
    ['sgd', (m: Module) => new SGD(m.parameters(), { lr: 0.01, momentum: 0.9 })],
  ] as const) {
    it(`MLP parameters after 3 ${opt === 'adam' ? 'Adam' : 'SGD-momentum'} steps`, async () => {
      const state = await fixture('torch-parity-mlp.state');
      const rec = await fixture('torch-parity-mlp');
      const steps = await fixture('torch-parity-optim');
      const model = mlp();
      model.loadStateDict(state, { strict: true });
      const optimizer = make(model);
      const ce = new CrossEntropyLoss();
      for (let step = 1; step <= 3; step++) {
        optimizer.zeroGrad();
        ce.forward(model.forward(get(rec, 'input')), get(rec, 'target')).backward();
        optimizer.step();
        for (const [k, p] of model.namedParameters()) {
          expectClose(`${opt} step ${step} ${k}`, p.data, get(steps, `${opt}.step${step}.${k}`), 1e-5);
        }
      }
    });
  }
});
