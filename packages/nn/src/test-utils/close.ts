// Shared by the loss tests (not exported): compare a Variable/Tensor's elements with float64 values.
import { Variable } from '@tsdl/autograd';
import type { Tensor } from '@tsdl/tensor';
import { expect } from 'vitest';

export function expectClose(actual: Variable | Tensor, expected: number | number[], digits = 5): void {
  const t = actual instanceof Variable ? actual.data : actual;
  const a = Array.from(t.toTypedArray());
  const e = typeof expected === 'number' ? [expected] : expected;
  expect(a.length).toBe(e.length);
  for (const [i, v] of a.entries()) expect(v).toBeCloseTo(e[i]!, digits);
}
