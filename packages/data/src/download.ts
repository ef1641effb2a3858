// Resumable, checksummed, atomic file download (Node only: exported from `@tsdl/data/node`).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';

export interface Checksum {
  algorithm: 'md5' | 'sha256';
  hex: string;
}

export interface DownloadOptions {
  /** Told when a download resumes or restarts. */
  log?: (msg: string) => void;
  /** Called after each chunk with the bytes on disk so far and the full size when the server says it. */
  onBytes?: (received: number, total: number | null) => void;
}

async function hashFile(path: string, algorithm: Checksum['algorithm']): Promise<string> {
  const h = createHash(algorithm);
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** The size of `path` in bytes, or -1 when it does not exist. */
async function fileSize(path: string): Promise<number> {
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
  opts: DownloadOptions = {},
): Promise<'cached' | 'downloaded'> {
  const log = opts.log ?? (() => {});
  if ((await fileSize(dest)) >= 0 && (await hashFile(dest, checksum.algorithm)) === checksum.hex)
    return 'cached';
  const part = `${dest}.part`;
  const have = Math.max(0, await fileSize(part));
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
