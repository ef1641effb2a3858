// Shared by the torch-parity tests (not exported): element-wise comparison against torch's numbers,
// with the worst error of every comparison printed at the end of the file's run.
import type { Tensor } from '@tsdl/tensor';
import { afterAll, expect } from 'vitest';

export type ExpectClose = (
  label: string,
  actual: Tensor | null | undefined,
  expected: Tensor,
  rtol: number,
  atol?: number,
) => void;

/**
 * An expectClose that asserts |a − e| ≤ atol + rtol·|e| element-wise (atol defaults to rtol), and the
 * same dtype when `checkDtype`; each call's max abs error goes into the report `title` prints.
 */
export function torchComparer(title: string, { checkDtype = false } = {}): ExpectClose {
  const report: string[] = [];
  afterAll(() => console.info(`${title}, max |tsdl - torch| per comparison:\n  ${report.join('\n  ')}`));
  return (label, actual, expected, rtol, atol = rtol) => {
    expect(actual, `${label}: missing`).toBeTruthy();
    expect(actual!.shape, `${label}: shape`).toEqual(expected.shape);
    if (checkDtype) expect(actual!.dtype, `${label}: dtype`).toBe(expected.dtype);
    const a = actual!.toTypedArray();
    const e = expected.toTypedArray();
    let maxAbs = 0;
    let worst = -1;
    for (let i = 0; i < e.length; i++) {
      const d = Math.abs(a[i]! - e[i]!);
      if (!(d <= atol + rtol * Math.abs(e[i]!)) && worst < 0) worst = i;
      maxAbs = Number.isNaN(d) ? Infinity : Math.max(maxAbs, d);
    }
    report.push(`${label}: ${maxAbs.toExponential(2)}`);
    expect(
      worst,
      `${label}: element ${worst} is ${a[worst]}, torch has ${e[worst]} (rtol ${rtol}, atol ${atol})`,
    ).toBe(-1);
  };
}
