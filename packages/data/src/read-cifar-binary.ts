import { Tensor } from '@tsdl/tensor';
import { asBytes } from './bytes.js';
import { fail } from './errors.js';

const OP = 'readCifarBinary';
const PIXELS = 3 * 32 * 32;
const RECORD = 1 + PIXELS;

export interface CifarOptions {
  /** dtype of `images`, whose values are the raw bytes 0..255 (default float32). */
  dtype?: 'float32' | 'int32';
}

/**
 * Reads a CIFAR-10 binary batch (`data_batch_N.bin`, `test_batch.bin`): records of one label byte
 * followed by 3072 pixel bytes (1024 red, 1024 green, 1024 blue, rows of 32). Returns
 * `images` `[n, 3, 32, 32]` (NCHW, values 0..255) and `labels` int32 `[n]`.
 */
export function readCifarBinary(
  input: Uint8Array | ArrayBuffer,
  options: CifarOptions = {},
): { images: Tensor; labels: Tensor } {
  const b = asBytes(OP, input);
  if (b.length === 0) fail(OP, 'input is empty; a CIFAR-10 batch holds records of 3073 bytes');
  if (b.length % RECORD !== 0) {
    fail(
      OP,
      `input has ${b.length} bytes, not a multiple of the 3073-byte record (1 label + 3072 pixels): ${Math.floor(b.length / RECORD)} whole records and ${b.length % RECORD} stray bytes`,
    );
  }
  const n = b.length / RECORD;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const l = b[i * RECORD]!;
    if (l >= 10) fail(OP, `record ${i} (byte offset ${i * RECORD}) has label ${l}; CIFAR-10 labels are 0..9`);
    labels[i] = l;
  }
  const images = options.dtype === 'int32' ? new Int32Array(n * PIXELS) : new Float32Array(n * PIXELS);
  for (let i = 0; i < n; i++) images.set(b.subarray(i * RECORD + 1, (i + 1) * RECORD), i * PIXELS);
  return { images: new Tensor(images, [n, 3, 32, 32]), labels: new Tensor(labels, [n]) };
}
