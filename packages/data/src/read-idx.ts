import { type DType, Tensor } from '@tsdl/tensor';
import { asBytes, gunzipChunks, isGzip } from './bytes.js';
import { fail, fmtShape } from './errors.js';

/** IDX element type codes (third magic byte) → [name, bytes per element]. */
const CODES: Record<number, [string, number]> = {
  // 0x08 … 0x0e
  8: ['ubyte', 1],
  9: ['byte', 1],
  11: ['short', 2],
  12: ['int', 4],
  13: ['float', 4],
  14: ['double', 8],
};

export interface IdxOptions {
  /**
   * dtype of the returned tensor. Default: int32 for the integer codes (ubyte, byte, short, int),
   * float32 for float, float64 for double. `'float32'` reads MNIST pixels straight into floats (0..255).
   */
  dtype?: DType;
}

interface IdxHeader {
  code: number;
  dims: number[];
  headerBytes: number;
  /** Total file size the header declares. */
  totalBytes: number;
}

const OP = 'readIdx';
const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;

/** Parses the header from a prefix of the (decompressed) file; undefined when more bytes are needed. */
function parseHeader(b: Uint8Array, complete: boolean): IdxHeader | undefined {
  if (b.length < 4) {
    if (!complete) return undefined;
    fail(OP, `file has ${b.length} bytes, an IDX header needs at least 4 (magic: 0x0000, type code, rank)`);
  }
  if (b[0] !== 0 || b[1] !== 0) {
    fail(
      OP,
      `bad magic number ${[...b.subarray(0, 4)].map(hex).join(' ')}: an IDX file starts with 0x00 0x00, a type code and the rank (is this an IDX file?)`,
    );
  }
  const code = b[2]!;
  const info = CODES[code];
  if (!info) {
    fail(
      OP,
      `unknown data type code ${hex(code)} at byte 2; expected 0x08 (ubyte), 0x09 (byte), 0x0b (short), 0x0c (int), 0x0d (float) or 0x0e (double)`,
    );
  }
  const rank = b[3]!;
  if (rank === 0) fail(OP, 'rank (byte 3) is 0; an IDX file has at least one dimension');
  const headerBytes = 4 + 4 * rank;
  if (b.length < headerBytes) {
    if (!complete) return undefined;
    fail(
      OP,
      `file is truncated: rank ${rank} needs a ${headerBytes}-byte header, the file has ${b.length} bytes`,
    );
  }
  const view = new DataView(b.buffer, b.byteOffset, headerBytes);
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < rank; d++) {
    dims.push(view.getUint32(4 + 4 * d, false));
    count *= dims[d]!;
  }
  return { code, dims, headerBytes, totalBytes: headerBytes + count * info[1] };
}

function sizeError(h: IdxHeader, actual: number, atLeast = false): never {
  const [name, size] = CODES[h.code]!;
  const declared = h.totalBytes - h.headerBytes;
  const have = actual - h.headerBytes;
  const what = have < declared ? 'file is truncated' : 'file is longer than its header declares';
  return fail(
    OP,
    `${what}: header declares shape ${fmtShape(h.dims)} of ${name} (${size} byte${size > 1 ? 's' : ''} each) = ${declared} data bytes after the ${h.headerBytes}-byte header, the file has ${atLeast ? 'at least ' : ''}${have}`,
  );
}

/** Decodes a complete, uncompressed IDX file whose header has already been checked against its size. */
function decode(b: Uint8Array, h: IdxHeader, dtype: DType | undefined): Tensor {
  const [name, size] = CODES[h.code]!;
  const n = (h.totalBytes - h.headerBytes) / size;
  const outType = dtype ?? (name === 'float' ? 'float32' : name === 'double' ? 'float64' : 'int32');
  const out =
    outType === 'float32'
      ? new Float32Array(n)
      : outType === 'float64'
        ? new Float64Array(n)
        : new Int32Array(n);
  const body = b.subarray(h.headerBytes, h.totalBytes);
  if (name === 'ubyte') out.set(body);
  else if (name === 'byte') out.set(new Int8Array(body.buffer, body.byteOffset, n));
  else {
    // Multi-byte elements are big-endian.
    const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const get =
      name === 'short'
        ? (i: number) => v.getInt16(i * 2, false)
        : name === 'int'
          ? (i: number) => v.getInt32(i * 4, false)
          : name === 'float'
            ? (i: number) => v.getFloat32(i * 4, false)
            : (i: number) => v.getFloat64(i * 8, false);
    for (let i = 0; i < n; i++) out[i] = get(i);
  }
  return new Tensor(out, h.dims);
}

/**
 * Reads an uncompressed IDX file (the MNIST family format). The header's sizes are checked
 * against the bytes present before anything is allocated. Gzip input is rejected: use `readIdx`.
 */
export function readIdxSync(input: Uint8Array | ArrayBuffer, options: IdxOptions = {}): Tensor {
  const b = asBytes(OP, input);
  if (isGzip(b))
    fail('readIdxSync', 'input is gzip-compressed (starts with 1f 8b); use `await readIdx(bytes)` instead');
  const h = parseHeader(b, true)!;
  if (b.length !== h.totalBytes) sizeError(h, b.length);
  return decode(b, h, options.dtype);
}

/**
 * Reads an IDX file, plain or gzip-compressed (detected from the magic 1f 8b), into a Tensor
 * with the header's shape. Async because gzip is inflated with the standard `DecompressionStream`,
 * which works in Node and browsers alike. Decompression stops as soon as the output exceeds
 * what the header declares, and a header declaring more than is there is rejected, so a lying
 * header never causes a large allocation.
 */
export async function readIdx(input: Uint8Array | ArrayBuffer, options: IdxOptions = {}): Promise<Tensor> {
  const b = asBytes(OP, input);
  if (!isGzip(b)) return readIdxSync(b, options);
  const chunks: Uint8Array[] = [];
  let total = 0;
  let head = new Uint8Array(0);
  let h: IdxHeader | undefined;
  for await (const chunk of gunzipChunks(OP, b)) {
    chunks.push(chunk);
    total += chunk.length;
    if (!h) {
      const take = chunk.subarray(0, Math.max(0, 1024 - head.length));
      const joined = new Uint8Array(head.length + take.length);
      joined.set(head);
      joined.set(take, head.length);
      head = joined;
      h = parseHeader(head, false);
    }
    if (h && total > h.totalBytes) sizeError(h, total, true);
  }
  if (!h) h = parseHeader(head, true)!;
  if (total !== h.totalBytes) sizeError(h, total);
  const whole = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    whole.set(c, pos);
    pos += c.length;
  }
  return decode(whole, h, options.dtype);
}
