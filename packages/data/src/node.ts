// Node-only conveniences (`@tsdl/data/node`): the readers, taking a file path.
// Kept out of the main entry so that browsers never see `node:fs`.
import { readFile } from 'node:fs/promises';
import type { Tensor } from '@tsdl/tensor';
import { type CifarOptions, readCifarBinary } from './read-cifar-binary.js';
import { type CsvOptions, type CsvTable, readCsv } from './read-csv.js';
import { type IdxOptions, readIdx } from './read-idx.js';
import { type Ratings, type RatingsOptions, readRatings } from './read-ratings.js';

export { type Checksum, type DownloadOptions, downloadFile } from './download.js';

/** `readIdx` of a file (plain or .gz). */
export async function readIdxFile(path: string, options?: IdxOptions): Promise<Tensor> {
  return readIdx(await readFile(path), options);
}

/** `readCifarBinary` of a file (e.g. `data_batch_1.bin`). */
export async function readCifarBinaryFile(
  path: string,
  options?: CifarOptions,
): Promise<{ images: Tensor; labels: Tensor }> {
  return readCifarBinary(await readFile(path), options);
}

/** `readCsv` of a UTF-8 file. */
export async function readCsvFile(path: string, options?: CsvOptions): Promise<CsvTable> {
  return readCsv(await readFile(path), options);
}

/** `readRatings` of a MovieLens `u.data` or `ratings.csv` file. */
export async function readRatingsFile(path: string, options?: RatingsOptions): Promise<Ratings> {
  return readRatings(await readFile(path), options);
}
