import { Generator, type Tensor, tensor, zeros as zerosTensor } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import {
  calculateFanInAndFanOut,
  calculateGain,
  constant,
  kaimingNormal,
  kaimingUniform,
  normal,
  ones,
  uniform,
  xavierNormal,
  xavierUniform,
  zeros,
} from './init.js';
import { Parameter } from './parameter.js';

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const a = Array.from(t.toTypedArray());
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  const std = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
  return { mean, std, min: Math.min(...a), max: Math.max(...a) };
}

const g = () => new Generator(42);

describe('init', () => {
  it('computes fans and gains like torch.nn.init', () => {
    expect(calculateFanInAndFanOut([20, 10])).toEqual({ fanIn: 10, fanOut: 20 });
    expect(calculateFanInAndFanOut([16, 6, 5, 5])).toEqual({ fanIn: 150, fanOut: 400 });
    expect(() => calculateFanInAndFanOut([5])).toThrow(/at least 2 dims, received shape \[5\]/);
    expect(calculateGain('relu')).toBe(Math.SQRT2);
    expect(calculateGain('tanh')).toBe(5 / 3);
    expect(calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / 1.0001), 15);
    expect(calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(calculateGain('selu')).toBe(0.75);
    expect(calculateGain('sigmoid')).toBe(1);
  });

  it('kaimingUniform: U(±√(6/fan_in)) by default, fan_out mode, reproducible with a generator', () => {
    const p = new Parameter(zerosTensor([200, 100]));
    expect(kaimingUniform(p, { generator: g() })).toBe(p);
    const bound = Math.sqrt(6 / 100);
    const s = stats(p.data);
    expect(s.max).toBeLessThanOrEqual(bound);
    expect(s.min).toBeGreaterThanOrEqual(-bound);
    expect(s.max).toBeGreaterThan(0.98 * bound);
    expect(s.std).toBeCloseTo(bound / Math.sqrt(3), 2);
    expect(Math.abs(s.mean)).toBeLessThan(0.01);
    const again = kaimingUniform(new Parameter(zerosTensor([200, 100])), { generator: g() });
    expect(Array.from(again.data.data)).toEqual(Array.from(p.data.data));
    const out = stats(
      kaimingUniform(zerosTensor([100, 400]), { mode: 'fan_out', nonlinearity: 'relu', generator: g() }),
    );
    expect(out.max).toBeLessThanOrEqual(Math.sqrt(6 / 100));
    expect(out.std).toBeCloseTo(Math.sqrt(2 / 100), 2);
  });

  it('kaimingNormal, xavierUniform, xavierNormal have the documented spread', () => {
    expect(
      stats(kaimingNormal(zerosTensor([300, 150]), { nonlinearity: 'relu', generator: g() })).std,
    ).toBeCloseTo(Math.sqrt(2 / 150), 2);
    const xu = stats(xavierUniform(zerosTensor([300, 100]), { gain: 2, generator: g() }));
    const xb = 2 * Math.sqrt(6 / 400);
    expect(xu.max).toBeLessThanOrEqual(xb);
    expect(xu.std).toBeCloseTo(xb / Math.sqrt(3), 2);
    expect(stats(xavierNormal(zerosTensor([300, 100]), { generator: g() })).std).toBeCloseTo(
      Math.sqrt(2 / 400),
      2,
    );
  });

  it('uniform, normal, zeros, ones, constant fill in place', () => {
    const t = zerosTensor([100, 100]);
    const u = stats(uniform(t, 2, 3, { generator: g() }));
    expect(u.min).toBeGreaterThanOrEqual(2);
    expect(u.max).toBeLessThan(3);
    const n = stats(normal(zerosTensor([100, 100]), 5, 0.5, { generator: g() }));
    expect(n.mean).toBeCloseTo(5, 1);
    expect(n.std).toBeCloseTo(0.5, 1);
    expect(Array.from(zeros(tensor([1, 2])).data)).toEqual([0, 0]);
    expect(Array.from(ones(new Parameter(tensor([1, 2]))).data.data)).toEqual([1, 1]);
    expect(Array.from(constant(tensor([1, 2]), 0.5).data)).toEqual([0.5, 0.5]);
    expect(() =>
      zeros(
        tensor([
          [1, 2],
          [3, 4],
        ]).transpose(0, 1),
      ),
    ).toThrow(/must be contiguous/);
  });
});
