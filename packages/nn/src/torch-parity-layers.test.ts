// Parity with PyTorch 1.13 for LayerNorm, GELU (and the erf under it) and AdaptiveAvgPool2d: the
// fixture comes from /fixtures/make-torch-parity-layers.py. Each case runs the tsdl layer on the saved
// input (LayerNorm with the saved weight and bias, loaded by their PyTorch names), takes
// Σ output·w and compares the output and every gradient with PyTorch's.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Variable } from '@tsdl/autograd';
import { erf, erfc, type Tensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { GELU } from './activations.js';
import { AdaptiveAvgPool2d } from './adaptive-avg-pool2d.js';
import { LayerNorm } from './layer-norm.js';
import type { Module } from './module.js';
import { decodeSafetensors } from './safetensors.js';
import { torchComparer } from './test-utils/torch-compare.js';

const PATH = fileURLToPath(new URL('../../../fixtures/torch-parity-layers.safetensors', import.meta.url));
if (!existsSync(PATH))
  throw new Error(`missing fixture ${PATH}: run /usr/bin/python3 fixtures/make-torch-parity-layers.py`);
const { tensors, metadata } = decodeSafetensors(readFileSync(PATH));

function get(key: string): Tensor {
  const t = tensors[key];
  if (!t) throw new Error(`fixture has no tensor '${key}' (has ${Object.keys(tensors).join(', ')})`);
  return t;
}

/** Worst errors per comparison are printed at the end, so the report shows how close each came. */
const expectClose = torchComparer('torch parity (layers)', { checkDtype: true });

/**
 * Forward on the saved input, Σ output·w backward, output and gradients against torch's: those saved
 * under `expected` (default the case's own), cast to the output's dtype.
 */
function checkCase(
  name: string,
  layer: Module & { forward(x: Variable): Variable },
  tol: number,
  expected = name,
): void {
  const want = (k: string, like: Tensor | null) => get(`${expected}.${k}`).to(like?.dtype ?? 'float32');
  const x = new Variable(get(`${name}.input`), true);
  const out = layer.forward(x);
  expectClose(`${expected} output`, out.data, want('output', out.data), tol);
  out
    .mul(get(`${name}.w`))
    .sum()
    .backward();
  expectClose(`${expected} grad.input`, x.grad, want('grad.input', x.grad), tol);
  const gradKeys = Object.keys(tensors).filter(
    (k) => k.startsWith(`${expected}.grad.`) && k !== `${expected}.grad.input`,
  );
  expect(gradKeys.sort()).toEqual(
    layer
      .namedParameters()
      .map(([k]) => `${expected}.grad.${k}`)
      .sort(),
  );
  for (const [k, p] of layer.namedParameters())
    expectClose(`${expected} grad.${k}`, p.grad, want(`grad.${k}`, p.grad), tol);
}

const cases = (layer: string) =>
  Object.keys(metadata).filter((k) => k !== 'torch' && JSON.parse(metadata[k]!).layer === layer);

describe('PyTorch parity: LayerNorm', () => {
  it('has the four cases', () =>
    expect(cases('LayerNorm')).toEqual(['ln', 'ln2d', 'lnOffset', 'lnNoAffine']));
  const layerOf = (name: string) => {
    const cfg = JSON.parse(metadata[name]!) as {
      normalizedShape: number[];
      eps: number;
      elementwiseAffine: boolean;
    };
    const layer = new LayerNorm(cfg.normalizedShape, cfg);
    if (cfg.elementwiseAffine)
      layer.loadStateDict({ weight: get(`${name}.weight`), bias: get(`${name}.bias`) }, { strict: true });
    return layer;
  };
  for (const name of cases('LayerNorm')) {
    if (name === 'lnOffset') continue;
    it(`${name}: output, input and parameter gradients`, () => checkCase(name, layerOf(name), 1e-5));
  }
  // Rows ~100 ± 0.01: tsdl's float64 statistics match torch's float64 run; torch's own float32 run
  // loses ~1e-3 of the normalised values to its float32 statistics.
  it('lnOffset: matches the float64 reference to 1e-5, where torch float32 is off by up to 5e-3', () => {
    checkCase('lnOffset', layerOf('lnOffset'), 1e-5, 'lnOffset.f64ref');
    const ref = get('lnOffset.f64ref.output').toTypedArray();
    const torch32 = get('lnOffset.output').toTypedArray();
    const ours = layerOf('lnOffset')
      .forward(new Variable(get('lnOffset.input')))
      .data.toTypedArray();
    const worst = (a: ArrayLike<number>) => Math.max(...Array.from(ref, (r, i) => Math.abs(a[i]! - r)));
    expect(worst(torch32)).toBeLessThan(5e-3);
    expect(worst(ours)).toBeLessThan(worst(torch32) / 100);
  });
});

describe('PyTorch parity: GELU', () => {
  it('has both forms in float32 and float64', () =>
    expect(cases('GELU')).toEqual(['geluNone', 'geluTanh', 'geluNone.f64', 'geluTanh.f64']));
  for (const name of cases('GELU')) {
    const { approximate } = JSON.parse(metadata[name]!) as { approximate: 'none' | 'tanh' };
    // float64: torch's 1 + erf(x/√2) and 1 + tanh(·) lose ~1e-16 absolute to cancellation for x < 0,
    // which tsdl's erfc form does not; both agree to that.
    const tol = name.endsWith('.f64') ? 1e-14 : 1e-6;
    it(`${name}: output and input gradient, large |x| included`, () =>
      checkCase(name, new GELU({ approximate }), tol));
  }
});

describe('PyTorch parity: erf and erfc (float64)', () => {
  const x = get('erf.input');
  it('has inputs at the interval bounds and in the tails', () => {
    const xs = Array.from(x.toTypedArray());
    for (const v of [0.46875, 4, 26.5, -27, 40]) expect(xs).toContain(v);
  });
  // Relative 1e-15 (a few ulps; torch uses the C library's erf); below ~2e-308 erfc is subnormal in
  // libm and 0 in Cody's algorithm, hence the tiny absolute tolerance.
  it('erf matches torch.erf to 1e-15 relative', () =>
    expectClose('erf', erf(x), get('erf.output'), 1e-15, 0));
  it('erfc matches torch.erfc to 2e-15 relative', () =>
    expectClose('erfc', erfc(x), get('erfc.output'), 2e-15, 3e-308));
});

describe('PyTorch parity: AdaptiveAvgPool2d', () => {
  it('has the five cases', () =>
    expect(cases('AdaptiveAvgPool2d')).toEqual([
      'aap7x5to3x2',
      'aapKeepHeight',
      'aapUpsample',
      'aapUnbatched',
      'aapGlobal',
    ]));
  for (const name of cases('AdaptiveAvgPool2d')) {
    it(`${name}: output and input gradient`, () => {
      const { outputSize } = JSON.parse(metadata[name]!) as {
        outputSize: number | [number | null, number | null];
      };
      checkCase(name, new AdaptiveAvgPool2d(outputSize), 1e-6);
    });
  }
});
