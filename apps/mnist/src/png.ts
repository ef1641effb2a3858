import { PNG } from 'pngjs';
import type { Gray } from './preprocess.js';

export function decodePng(bytes: Uint8Array): Gray {
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes));
  } catch (e) {
    throw new Error(`predict: image is not a readable PNG (${(e as Error).message})`);
  }
  const { width, height, data } = png;
  const pixels = new Float32Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const a = data[i * 4 + 3]! / 255;
    // Transparent pixels count as white paper.
    const lum = (0.299 * data[i * 4]! + 0.587 * data[i * 4 + 1]! + 0.114 * data[i * 4 + 2]!) / 255;
    pixels[i] = lum * a + (1 - a);
  }
  return { width, height, pixels };
}
