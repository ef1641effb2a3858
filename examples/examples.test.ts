// Runs each example program as a user would (`node examples/<name>.mjs`) and checks the numbers it prints.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = async (file: string): Promise<string> => {
  const { stdout } = await promisify(execFile)(process.execPath, [new URL(file, import.meta.url).pathname]);
  return stdout;
};
/** The numbers after `label` on the first line that contains it. */
const numbersAfter = (out: string, label: string): number[] => {
  const line = out.split('\n').find((l) => l.includes(label));
  if (line === undefined) throw new Error(`no line with ${JSON.stringify(label)} in:\n${out}`);
  return [...line.slice(line.indexOf(label) + label.length).matchAll(/-?\d+(?:\.\d+)?/g)].map((m) =>
    Number(m[0]),
  );
};
const value = (out: string, line: string, name: string): number => {
  const l = out.split('\n').find((s) => s.startsWith(line));
  const m = l?.match(new RegExp(`${name} (-?\\d+\\.\\d+)`));
  if (!m) throw new Error(`no "${name}" on the "${line}" line in:\n${out}`);
  return Number(m[1]);
};

describe('examples', { timeout: 60_000 }, () => {
  it('least-squares.mjs (pnpm demo) solves the normal equations', async () => {
    const out = await run('./least-squares.mjs');
    const [m, b] = [value(out, 'least squares', 'm ='), value(out, 'least squares', 'b =')];
    expect(m).toBeCloseTo(0.8, 4);
    expect(b).toBeCloseTo(0.4, 4);
  });

  it('linear-regression.mjs: gradient descent reaches m≈0.8016, b≈0.3944; lstsq gives 0.8, 0.4', async () => {
    const out = await run('./linear-regression.mjs');
    // 1000 full-batch steps of lr 0.01 from zero stop short of the optimum (PyTorch gives the same numbers).
    expect(value(out, 'gradient descent', 'm =')).toBeCloseTo(0.8016, 4);
    expect(value(out, 'gradient descent', 'b =')).toBeCloseTo(0.3944, 4);
    expect(value(out, 'least squares', 'm =')).toBeCloseTo(0.8, 4);
    expect(value(out, 'least squares', 'b =')).toBeCloseTo(0.4, 4);
    // The loss falls monotonically towards the least-squares MSE, 0.48 (residuals -0.2, 1, -0.8, -0.6, 0.6).
    const mses = [...out.matchAll(/MSE (\d+\.\d+)/g)].map((m) => Number(m[1]));
    expect(mses.length).toBeGreaterThan(2);
    for (let i = 1; i < mses.length; i++) expect(mses[i]!).toBeLessThan(mses[i - 1]!);
    expect(mses.at(-1)!).toBeGreaterThan(0.48);
    expect(mses.at(-1)!).toBeLessThan(0.4801);
  });

  it('xor.mjs: the 2-3-1 network puts all four outputs on the right side of 0.5', async () => {
    const out = await run('./xor.mjs');
    const lines = out.split('\n').filter((l) => l.startsWith('xor('));
    expect(lines).toHaveLength(4);
    for (const l of lines) {
      const m = l.match(/^xor\((\d), (\d)\) = (\d) +predicted (\d\.\d+)/);
      expect(m, l).not.toBeNull();
      const [a, b, target, p] = [Number(m![1]), Number(m![2]), Number(m![3]), Number(m![4])];
      expect(target).toBe(a ^ b);
      if (target === 1) expect(p).toBeGreaterThan(0.5);
      else expect(p).toBeLessThan(0.5);
    }
    const bce = [...out.matchAll(/BCE (\d+\.\d+)/g)].map((m) => Number(m[1]));
    expect(bce[0]!).toBeCloseTo(Math.LN2, 1); // starts near chance
    expect(bce.at(-1)!).toBeLessThan(0.05);
  });

  it('breast-cancer.mjs: logistic regression and the MLP classify the held-out rows well', async () => {
    const out = await run('./breast-cancer.mjs');
    expect(out).toContain('569 samples, 30 features, classes 0 = malignant, 1 = benign');
    expect(out).toContain('train 455 rows, test 114 rows');
    for (const model of ['logistic regression', 'MLP 30-16-1']) {
      const acc = value(out, model, 'accuracy');
      const p = value(out, model, 'precision');
      const r = value(out, model, 'recall');
      const f = value(out, model, 'F1');
      expect(acc, model).toBeGreaterThan(0.93);
      expect(f, model).toBeGreaterThan(0.9);
      expect(f).toBeCloseTo((2 * p * r) / (p + r), 3); // F1 is the harmonic mean of what was printed
      // The printed confusion matrix [[tp, fn], [fp, tn]] (malignant = 0 first) gives the same numbers.
      const [tp, fn, fp, tn] = numbersAfter(out.split('\n').find((l) => l.startsWith(model))!, 'confusion');
      expect(tp! + fn! + fp! + tn!).toBe(114);
      expect(acc).toBeCloseTo((tp! + tn!) / 114, 4);
      expect(p).toBeCloseTo(tp! / (tp! + fp!), 4);
      expect(r).toBeCloseTo(tp! / (tp! + fn!), 4);
    }
  });

  it('pca-digits.mjs: explained variance ratio matches scikit-learn and the SVG is written', async () => {
    const out = await run('./pca-digits.mjs');
    // Reference, computed once with scikit-learn 1.2:
    //   /usr/bin/python3 -c "from sklearn.datasets import load_digits; from sklearn.decomposition import PCA;
    //     print(PCA(2).fit(load_digits().data).explained_variance_ratio_)"
    //   → [0.14890594 0.13618771]
    expect(value(out, 'explained variance ratio', 'PC1')).toBeCloseTo(0.14890594, 6);
    expect(value(out, 'explained variance ratio', 'PC2')).toBeCloseTo(0.13618771, 6);
    const svgPath = out.match(/wrote (\S+\.svg) \((\d+) points\)/);
    expect(svgPath).not.toBeNull();
    expect(existsSync(svgPath![1]!)).toBe(true);
    const svg = readFileSync(svgPath![1]!, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(1797 + 10); // one per image + the legend
  });
});
