import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadFile } from '@tsdl/data/node';

/** The four MNIST files with the MD5 sums published alongside them (as torchvision lists them). */
export const MNIST_FILES: Record<string, string> = {
  'train-images-idx3-ubyte.gz': 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
  'train-labels-idx1-ubyte.gz': 'd53e105ee54ea40749a09fcbcd1e9432',
  't10k-images-idx3-ubyte.gz': '9fb629c4189551a2d022fa330f9573f3',
  't10k-labels-idx1-ubyte.gz': 'ec29112dd5afa0611ce80d1b7f02629c',
};

export const MNIST_MIRROR = 'https://ossci-datasets.s3.amazonaws.com/mnist/';

export async function downloadMnist(
  dir: string,
  opts: { baseUrl?: string; files?: Record<string, string>; log?: (m: string) => void } = {},
): Promise<void> {
  const base = (opts.baseUrl ?? MNIST_MIRROR).replace(/\/?$/, '/');
  const log = opts.log ?? (() => {});
  await mkdir(dir, { recursive: true });
  for (const [name, md5] of Object.entries(opts.files ?? MNIST_FILES)) {
    const state = await downloadFile(base + name, join(dir, name), { algorithm: 'md5', hex: md5 }, { log });
    log(`${name}: ${state}`);
  }
}
