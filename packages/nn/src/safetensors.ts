// safetensors (Hugging Face's tensor file format): an 8-byte little-endian u64 header length, a JSON
// header {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {string: string}},
// then the raw little-endian tensor bytes. encode/decode work anywhere; save/load take a path too,
// and are async because node:fs is imported only on that path (so a browser bundle needs no fs).
import { type DType, Tensor, type TypedArray } from '@tsdl/tensor';

export type SafetensorsRecord = Record<string, Tensor>;
export type SafetensorsMetadata = Record<string, string>;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const WRITE_DTYPE: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32' };
/** Bytes per element of the dtypes read; I64 becomes int32 (range-checked), F16/BF16 become float32. */
const ITEM_SIZE: Record<string, number> = { F32: 4, F64: 8, I32: 4, I64: 8, F16: 2, BF16: 2 };

function fail(message: string): never {
  throw new Error(`safetensors: ${message}`);
}

/** Serialises tensors (float32 → F32, float64 → F64, int32 → I32) with optional string metadata. */
export function encodeSafetensors(record: SafetensorsRecord, metadata?: SafetensorsMetadata): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') fail(`metadata '${k}' must be a string, received ${typeof v}`);
    }
    header.__metadata__ = metadata;
  }
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(record)) {
    if (name === '__metadata__' || name === '__proto__')
      fail(`'${name}' is reserved and cannot name a tensor`);
    if (!(t instanceof Tensor)) fail(`'${name}' is not a Tensor`);
    const bytes = toLittleEndianBytes(t.toTypedArray());
    header[name] = {
      dtype: WRITE_DTYPE[t.dtype],
      shape: [...t.shape],
      data_offsets: [offset, offset + bytes.length],
    };
    parts.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (new TextEncoder().encode(json).length % 8)) % 8); // pad to 8 bytes like the reference writer
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let pos = 8 + head.length;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

function toLittleEndianBytes(a: TypedArray): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (LITTLE_ENDIAN) return bytes;
  const out = new Uint8Array(a.byteLength);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) {
    if (a instanceof Float32Array) dv.setFloat32(i * 4, a[i]!, true);
    else if (a instanceof Float64Array) dv.setFloat64(i * 8, a[i]!, true);
    else dv.setInt32(i * 4, a[i]!, true);
  }
  return out;
}

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/** Parses and validates a safetensors buffer; never trusts a size beyond the bytes present. */
export function decodeSafetensors(bytes: Uint8Array | ArrayBuffer): {
  tensors: SafetensorsRecord;
  metadata: SafetensorsMetadata;
} {
  const buf = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (buf.length < 8) fail(`file has ${buf.length} bytes, fewer than the 8-byte header length`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const headerLen = dv.getBigUint64(0, true);
  if (headerLen > BigInt(buf.length - 8)) {
    fail(
      `header length ${headerLen} exceeds the ${buf.length - 8} bytes after the 8-byte length prefix (truncated or not a safetensors file)`,
    );
  }
  const n = Number(headerLen);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(8, 8 + n)));
  } catch (e) {
    fail(`header (bytes 8..${8 + n}) is not valid UTF-8 JSON: ${(e as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail('header must be a JSON object');
  const dataStart = 8 + n;
  const dataLen = buf.length - dataStart;
  const metadata: SafetensorsMetadata = {};
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        fail(`'__metadata__' must be an object of strings`);
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') fail(`metadata '${k}' must be a string, received ${JSON.stringify(v)}`);
        metadata[k] = v;
      }
      continue;
    }
    if (name === '__proto__') fail(`'__proto__' cannot name a tensor`);
    entries.push(parseEntry(name, raw, dataLen));
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (b.begin < a.end) {
      fail(`'${b.name}' data_offsets [${b.begin},${b.end}] overlap '${a.name}' [${a.begin},${a.end}]`);
    }
  }
  const tensors: SafetensorsRecord = {};
  for (const e of entries)
    tensors[e.name] = readTensor(e, buf.subarray(dataStart + e.begin, dataStart + e.end));
  return { tensors, metadata };
}

function parseEntry(name: string, raw: unknown, dataLen: number): Entry {
  if (typeof raw !== 'object' || raw === null) fail(`'${name}' must map to {dtype, shape, data_offsets}`);
  const { dtype, shape, data_offsets: offs } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in ITEM_SIZE)) {
    fail(`'${name}' has dtype ${JSON.stringify(dtype)}; supported: ${Object.keys(ITEM_SIZE).join(', ')}`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`'${name}' has shape ${JSON.stringify(shape)}; expected an array of non-negative integers`);
  }
  if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    fail(`'${name}' has data_offsets ${JSON.stringify(offs)}; expected [begin, end] non-negative integers`);
  }
  const [begin, end] = offs as [number, number];
  if (begin > end || end > dataLen) {
    fail(`'${name}' data_offsets [${begin},${end}] fall outside the data region of ${dataLen} bytes`);
  }
  const count = (shape as number[]).reduce((a, d) => a * d, 1);
  const expected = count * ITEM_SIZE[dtype]!;
  if (end - begin !== expected) {
    fail(
      `'${name}' data_offsets [${begin},${end}] span ${end - begin} bytes; ${dtype} shape [${(shape as number[]).join(',')}] needs ${expected}`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

function readTensor(e: Entry, raw: Uint8Array): Tensor {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const count = raw.length / ITEM_SIZE[e.dtype]!;
  switch (e.dtype) {
    case 'F32':
    case 'F64':
    case 'I32': {
      // Copy into a fresh (aligned) buffer; byte-swap only on a big-endian host.
      const aligned = new Uint8Array(raw.length); // not raw.slice(): a Node Buffer's slice is a view
      aligned.set(raw);
      const Ctor = e.dtype === 'F32' ? Float32Array : e.dtype === 'F64' ? Float64Array : Int32Array;
      const out = new Ctor(aligned.buffer);
      if (!LITTLE_ENDIAN) {
        for (let i = 0; i < count; i++) {
          out[i] =
            e.dtype === 'F32'
              ? dv.getFloat32(i * 4, true)
              : e.dtype === 'F64'
                ? dv.getFloat64(i * 8, true)
                : dv.getInt32(i * 4, true);
        }
      }
      return new Tensor(out, e.shape);
    }
    case 'I64': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = dv.getBigInt64(i * 8, true);
        if (v < -2147483648n || v > 2147483647n) {
          fail(`'${e.name}' (I64) element ${i} = ${v} does not fit in int32`);
        }
        out[i] = Number(v);
      }
      return new Tensor(out, e.shape);
    }
    case 'F16': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(dv.getUint16(i * 2, true));
      return new Tensor(out, e.shape);
    }
    default: {
      // BF16 is the top half of a float32.
      const out = new Float32Array(count);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = dv.getUint16(i * 2, true) << 16;
      return new Tensor(out, e.shape);
    }
  }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Encodes `record` and, when `path` is given, writes it atomically (a temp file in the same
 * directory, fsync, rename), so a failed save never leaves a partial file or clobbers an old one.
 * Returns the bytes.
 */
export async function saveSafetensors(
  path: string | undefined,
  record: SafetensorsRecord,
  metadata?: SafetensorsMetadata,
): Promise<Uint8Array> {
  const bytes = encodeSafetensors(record, metadata);
  if (path !== undefined) await writeFileAtomic(path, bytes);
  return bytes;
}

/** Reads tensors from bytes or a file path (float32/float64/int32; I64 → int32, F16/BF16 → float32). */
export async function loadSafetensors(source: Uint8Array | ArrayBuffer | string): Promise<SafetensorsRecord> {
  return decodeSafetensors(await readSource(source)).tensors;
}

/** The bytes of `source`, reading the file when it is a path (node only). */
export async function readSource(source: Uint8Array | ArrayBuffer | string): Promise<Uint8Array> {
  if (typeof source !== 'string') return source instanceof Uint8Array ? source : new Uint8Array(source);
  const fs = await import('node:fs/promises');
  return new Uint8Array(await fs.readFile(source));
}

/** Writes via a unique temp file in the target's directory and renames it over the target (node only). */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const fs = await import('node:fs/promises');
  const { dirname, basename, join } = await import('node:path');
  const tmp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  try {
    const fh = await fs.open(tmp, 'wx');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
