import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** Cases from fixtures/sklearn.json, written by scripts/make-fixtures.py (scikit-learn 1.2). */
export interface SklearnFixtures {
  generator: string;
  classification: {
    name: string;
    fn: string;
    yTrue: number[];
    yPred: number[];
    options: Record<string, unknown>;
    expected: number | number[] | number[][];
  }[];
  rocAuc: {
    name: string;
    yTrue: number[];
    yScore: number[] | number[][];
    options: Record<string, unknown>;
    expected: number | number[];
  }[];
  regression: {
    name: string;
    fn: string;
    yTrue: number[] | number[][];
    yPred: number[] | number[][];
    options: Record<string, unknown>;
    expected: number | number[];
  }[];
  ranking: {
    name: string;
    k: number;
    relevant: (Record<string, number> | number[])[];
    ranked: number[][];
    ndcg: number;
    ndcgPerUser: number[];
    precisionPerUser?: number[];
    recallPerUser?: number[];
  }[];
}

export const fixtures: SklearnFixtures = JSON.parse(
  readFileSync(new URL('../../fixtures/sklearn.json', import.meta.url), 'utf8'),
);

/** |actual - expected| ≤ 1e-12, relative for values above 1 (MAPE with a zero target is ~1e14). */
export function expectClose(
  actual: number | number[] | number[][],
  expected: number | number[] | number[][],
): void {
  const a = [actual].flat(2);
  const e = [expected].flat(2);
  expect(Array.isArray(actual)).toBe(Array.isArray(expected));
  expect(a.length).toBe(e.length);
  for (let i = 0; i < e.length; i++) {
    const tol = 1e-12 * Math.max(1, Math.abs(e[i]!));
    if (!(Math.abs(a[i]! - e[i]!) <= tol))
      expect.fail(`element ${i}: ${a[i]} differs from ${e[i]} by more than ${tol}`);
  }
}
