import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadFile } from '@tsdl/data/node';
import { x as untar } from 'tar';
import { TEST_BATCH, TRAIN_BATCHES } from './dataset.js';

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
      const size = await stat(join(out, f)).then(
        (st) => st.size,
        () => -1,
      );
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
