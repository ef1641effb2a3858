import type { Module } from '@tsdl/nn';
import type { Tensor } from '@tsdl/tensor';
import { type ExportOptions, exportOnnx } from './export.js';

/** Exports and writes the model atomically (temp file + rename); returns the bytes written. */
export async function saveOnnx(
  path: string,
  model: Module,
  exampleInputs: Tensor | readonly Tensor[],
  opts: ExportOptions = {},
): Promise<Uint8Array> {
  const bytes = exportOnnx(model, exampleInputs, opts);
  const fs = await import('node:fs/promises');
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  return bytes;
}
