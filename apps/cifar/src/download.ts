import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { x as untar } from 'tar';
import { TEST_BATCH, TRAIN_BATCHES } from './dataset.js';

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
  opts: { log?: (msg: string) => void; onBytes?: (received: number, total: number | null) => void } = {},
): Promise<'cached' | 'downloaded'> {
  const log = opts.log ?? (() => {});
  if ((await sizeOf(dest)) >= 0 && (await hashFile(dest, checksum.algorithm)) === checksum.hex)
    return 'cached';
  const part = `${dest}.part`;
  const have = Math.max(0, await sizeOf(part));
  const res = await fetch(url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {} });
  // 416: the range starts at the end, i.e. the part file is already complete.
  if (res.status !== 416) {
    if (!res.ok) throw new Error(`download: ${url} answered HTTP ${res.status}`);
    const resume = res.status === 206;
    if (have > 0)
      log(resume ? `resuming ${url} at byte ${have}` : `server ignored the range; restarting ${url}`);
    const length = Number(res.headers.get('content-length'));
    const total = Number.isFinite(length) && length > 0 ? length + (resume ? have : 0) : null;
    let received = resume ? have : 0;
    const fh = await open(part, resume ? 'a' : 'w');
    try {
      if (res.body) {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          await fh.write(chunk);
          received += chunk.length;
          opts.onBytes?.(received, total);
        }
      }
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

/** The official CIFAR-10 binary archive and its published MD5. */
export const CIFAR_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';
export const CIFAR_MD5 = 'c32a1d4ab5d03f1284b67883e8d87530';
export const CIFAR_DIR = 'cifar-10-batches-bin';
const BATCH_BYTES = 10_000 * 3073;

/**
 * Extracts `archive` (.tar.gz) into a temporary folder beside the target, checks that it holds the six
 * batch files with whole records, and only then renames `cifar-10-batches-bin` into `dir`.
 */
export async function extractCifar(
  archive: string,
  dir: string,
  opts: { recordsPerBatch?: number } = {},
): Promise<string> {
  const target = join(dir, CIFAR_DIR);
  const tmp = await mkdtemp(join(dir, '.extract-'));
  try {
    await untar({ file: archive, cwd: tmp, strict: true });
    const out = join(tmp, CIFAR_DIR);
    const want = opts.recordsPerBatch === undefined ? BATCH_BYTES : opts.recordsPerBatch * 3073;
    for (const f of [...TRAIN_BATCHES, TEST_BATCH]) {
      const size = await sizeOf(join(out, f));
      if (size < 0) throw new Error(`download: ${archive} has no ${CIFAR_DIR}/${f}`);
      if (size !== want)
        throw new Error(`download: ${CIFAR_DIR}/${f} in ${archive} has ${size} bytes, expected ${want}`);
    }
    await rm(target, { recursive: true, force: true });
    await rename(out, target);
    return target;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Downloads (checksummed, resumable, atomic) and extracts CIFAR-10 into `dir/cifar-10-batches-bin`. */
export async function downloadCifar(
  dir: string,
  opts: {
    url?: string;
    md5?: string;
    recordsPerBatch?: number;
    log?: (m: string) => void;
    onBytes?: (received: number, total: number | null) => void;
  } = {},
): Promise<string> {
  const log = opts.log ?? (() => {});
  await mkdir(dir, { recursive: true });
  const url = opts.url ?? CIFAR_URL;
  const archive = join(dir, 'cifar-10-binary.tar.gz');
  const state = await downloadFile(
    url,
    archive,
    { algorithm: 'md5', hex: opts.md5 ?? CIFAR_MD5 },
    { log, onBytes: opts.onBytes },
  );
  log(`${archive}: ${state}`);
  const target = join(dir, CIFAR_DIR);
  if (
    state === 'cached' &&
    existsSync(join(target, TEST_BATCH)) &&
    TRAIN_BATCHES.every((f) => existsSync(join(target, f)))
  ) {
    log(`${target}: already extracted`);
    return target;
  }
  await extractCifar(archive, dir, { recordsPerBatch: opts.recordsPerBatch });
  log(`extracted ${target}`);
  return target;
}
