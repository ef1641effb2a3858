import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readIdx } from '@tsdl/data';
import type { DigitSet } from './digits.js';

function find(dir: string, base: string): string {
  for (const name of [base, `${base}.gz`]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new Error(
    `--data: ${dir} has neither ${base} nor ${base}.gz (expected the four MNIST/Fashion-MNIST IDX files)`,
  );
}

async function readSet(dir: string, prefix: 'train' | 't10k'): Promise<DigitSet> {
  const images = await readIdx(readFileSync(find(dir, `${prefix}-images-idx3-ubyte`)), { dtype: 'float32' });
  const labels = await readIdx(readFileSync(find(dir, `${prefix}-labels-idx1-ubyte`)));
  const [n, h, w] = images.shape;
  if (images.ndim !== 3 || h !== 28 || w !== 28) {
    throw new Error(`--data: ${prefix} images have shape [${images.shape.join(',')}], expected [n,28,28]`);
  }
  if (labels.shape[0] !== n)
    throw new Error(`--data: ${prefix} has ${n} images but ${labels.shape[0]} labels`);
  const pixels = images.toTypedArray() as Float32Array;
  for (let i = 0; i < pixels.length; i++) pixels[i]! /= 255;
  return { images: pixels, labels: labels.toTypedArray() as Int32Array, count: n! };
}

/** The standard train/test IDX files of MNIST or Fashion-MNIST (gzip or not) in `dir`. */
export async function loadIdxDir(dir: string): Promise<{ train: DigitSet; test: DigitSet }> {
  return { train: await readSet(dir, 'train'), test: await readSet(dir, 't10k') };
}
