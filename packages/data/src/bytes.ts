import { fail } from './errors.js';

/** Accepts the byte containers readers take and views them as one Uint8Array (no copy). */
export function asBytes(op: string, input: Uint8Array | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return fail(
    op,
    `expected bytes (Uint8Array or ArrayBuffer), received ${input === null ? 'null' : typeof input}`,
  );
}

/** Text of a reader's input: strings pass through, bytes are decoded as UTF-8 (a BOM is dropped). */
export function asText(op: string, input: string | Uint8Array | ArrayBuffer): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  return new TextDecoder('utf-8').decode(asBytes(op, input));
}

/** True when the bytes start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Streams the decompressed chunks of gzip `bytes` through `DecompressionStream` (Node ≥ 18 and
 * browsers), so a caller can stop early once it knows how many bytes it expects.
 */
export async function* gunzipChunks(op: string, bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  if (typeof DecompressionStream !== 'function') {
    fail(op, 'input is gzip-compressed but this runtime has no DecompressionStream; decompress it first');
  }
  const source = new ReadableStream<BufferSource>({
    start(controller) {
      // Streams take only ArrayBuffer-backed views; copy one that lives in shared memory.
      controller.enqueue(
        (bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice()) as Uint8Array<ArrayBuffer>,
      );
      controller.close();
    },
  });
  const reader = source.pipeThrough<Uint8Array>(new DecompressionStream('gzip')).getReader();
  try {
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        fail(op, `gzip data is corrupt or truncated (${(e as Error).message})`);
      }
      if (r.done) return;
      yield r.value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
