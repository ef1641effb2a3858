import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface Checksum {
  algorithm: 'md5' | 'sha256';
  hex: string;
}

async function hashFile(path: string, algorithm: Checksum['algorithm']): Promise<string> {
  const h = createHash(algorithm);
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return -1;
  }
}

/**
 * Downloads `url` to `dest`: resumes a previous partial download (`dest.part`, HTTP Range),
 * verifies the checksum, and only then renames into place, so `dest` is never a partial or
 * corrupt file. An existing `dest` with the right checksum is kept as is.
 */
export async function downloadFile(
  url: string,
  dest: string,
  checksum: Checksum,
  log: (msg: string) => void = () => {},
): Promise<'cached' | 'downloaded'> {
  if ((await sizeOf(dest)) >= 0 && (await hashFile(dest, checksum.algorithm)) === checksum.hex)
    return 'cached';
  const part = `${dest}.part`;
  const have = Math.max(0, await sizeOf(part));
  const res = await fetch(url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {} });
  if (res.status !== 416) {
    if (!res.ok) throw new Error(`download: ${url} answered HTTP ${res.status}`);
    const resume = res.status === 206;
    if (have > 0)
      log(resume ? `resuming ${url} at byte ${have}` : `server ignored the range; restarting ${url}`);
    const fh = await open(part, resume ? 'a' : 'w');
    try {
      if (res.body)
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) await fh.write(chunk);
    } finally {
      await fh.close();
    }
  }
  const got = await hashFile(part, checksum.algorithm);
  if (got !== checksum.hex) {
    await rm(part, { force: true });
    throw new Error(
      `download: ${url} has ${checksum.algorithm} ${got}, expected ${checksum.hex}; the partial file was removed, run again`,
    );
  }
  await rename(part, dest);
  return 'downloaded';
}

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
    const state = await downloadFile(base + name, join(dir, name), { algorithm: 'md5', hex: md5 }, log);
    log(`${name}: ${state}`);
  }
}
