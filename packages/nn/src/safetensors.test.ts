import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Tensor, tensor } from '@tsdl/tensor';
import { describe, expect, it, onTestFinished } from 'vitest';
import { decodeSafetensors, encodeSafetensors, loadSafetensors, saveSafetensors } from './safetensors.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'torch-dtypes');

/** A valid file built by hand: header JSON (unpadded) + data. */
function rawFile(header: unknown, data: Uint8Array = new Uint8Array(0), headerLen?: number): Uint8Array {
  const head = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + head.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLen ?? head.length), true);
  out.set(head, 8);
  out.set(data, 8 + head.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips float32, float64 and int32 (incl. scalar, empty, non-contiguous) with metadata', () => {
    const rec = {
      a: tensor([
        [1.5, -2],
        [3, 4e-30],
      ]),
      b: tensor([0.1, -1e300, 5e-324], { dtype: 'float64' }),
      c: tensor([[2147483647, -2147483648, 0]], { dtype: 'int32' }),
      s: tensor(3.25),
      e: tensor([], { shape: [0, 4] }),
      t: tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]).transpose(0, 1),
    };
    const bytes = encodeSafetensors(rec, { format: 'pt' });
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLen % 8).toBe(0);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt' });
    expect(Object.keys(tensors)).toEqual(Object.keys(rec));
    for (const [k, t] of Object.entries(rec)) {
      const u = tensors[k]!;
      expect(u.dtype).toBe(t.dtype);
      expect(u.shape).toEqual(t.shape);
      expect(Array.from(u.toTypedArray())).toEqual(Array.from(t.toTypedArray()));
    }
    expect(tensors.t!.toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });

  it('reads a file written by a PyTorch-side writer (F32 F64 I32 I64 F16 BF16, reference ordering)', async () => {
    const expected = JSON.parse(readFileSync(`${FIXTURE}.json`, 'utf8')) as {
      metadata: Record<string, string>;
      tensors: Record<string, { shape: number[]; values: number[] }>;
    };
    const { tensors, metadata } = decodeSafetensors(readFileSync(`${FIXTURE}.safetensors`));
    expect(metadata).toEqual(expected.metadata);
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(expected.tensors).sort());
    for (const [k, e] of Object.entries(expected.tensors)) {
      const t = tensors[k]!;
      expect(t.shape).toEqual(e.shape);
      expect(t.dtype).toBe(k.startsWith('f64') ? 'float64' : k.startsWith('i') ? 'int32' : 'float32');
      expect(Array.from(t.toTypedArray())).toEqual(e.values);
    }
    // The same through the path form.
    const viaPath = await loadSafetensors(`${FIXTURE}.safetensors`);
    expect(viaPath['layer.0.weight']!.toArray()).toEqual(tensors['layer.0.weight']!.toArray());
  });

  it('rejects corrupt input with errors naming what is wrong', () => {
    const good = encodeSafetensors({ w: tensor([1, 2, 3]) });
    expect(() => decodeSafetensors(good.subarray(0, 5))).toThrow(
      /file has 5 bytes, fewer than the 8-byte header length/,
    );
    expect(() => decodeSafetensors(good.subarray(0, 20))).toThrow(
      /header length \d+ exceeds the 12 bytes after the 8-byte length prefix/,
    );
    expect(() => decodeSafetensors(rawFile('{}', undefined, 2 ** 40))).toThrow(
      /header length 1099511627776 exceeds/,
    );
    expect(() => decodeSafetensors(rawFile('{"w": {'))).toThrow(
      /header \(bytes 8\.\.15\) is not valid UTF-8 JSON/,
    );
    expect(() => decodeSafetensors(rawFile('[1,2]'))).toThrow(/header must be a JSON object/);
    // Truncated data: the header promises 12 bytes, the file holds 8 of them.
    const truncated = good.subarray(0, good.length - 4);
    expect(() => decodeSafetensors(truncated)).toThrow(
      /'w' data_offsets \[0,12\] fall outside the data region of 8 bytes/,
    );
    const d8 = new Uint8Array(8);
    expect(() =>
      decodeSafetensors(rawFile({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, d8)),
    ).toThrow(/'w' data_offsets \[0,8\] span 8 bytes; F32 shape \[3\] needs 12/);
    expect(() =>
      decodeSafetensors(
        rawFile(
          {
            a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
            b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
          },
          d8,
        ),
      ),
    ).toThrow(/'b' data_offsets \[4,8\] overlap 'a' \[0,8\]/);
    expect(() =>
      decodeSafetensors(rawFile({ w: { dtype: 'U8', shape: [8], data_offsets: [0, 8] } }, d8)),
    ).toThrow(/'w' has dtype "U8"; supported: F32/);
    expect(() =>
      decodeSafetensors(rawFile({ w: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, d8)),
    ).toThrow(/'w' has shape \[-2\]/);
    expect(() =>
      decodeSafetensors(rawFile({ w: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, d8)),
    ).toThrow(/fall outside/);
    expect(() => decodeSafetensors(rawFile({ __metadata__: { n: 1 } }))).toThrow(
      /metadata 'n' must be a string/,
    );
    const big = new Uint8Array(8);
    new DataView(big.buffer).setBigInt64(0, 2n ** 40n, true);
    expect(() =>
      decodeSafetensors(rawFile({ i: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, big)),
    ).toThrow(/'i' \(I64\) element 0 = 1099511627776 does not fit in int32/);
  });

  it('saves atomically: the file appears whole, and a failed save leaves the old file untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdl-st-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'w.safetensors');
    const bytes = await saveSafetensors(path, { w: tensor([1, 2]) }, { v: '1' });
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
    await expect(saveSafetensors(path, { w: 'oops' as unknown as Tensor })).rejects.toThrow(
      /'w' is not a Tensor/,
    );
    await expect(saveSafetensors(path, {}, { v: 2 as unknown as string })).rejects.toThrow(
      /metadata 'v' must be a string/,
    );
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
    // A write that fails at the file system (target is a directory) leaves no temp file behind.
    await expect(saveSafetensors(dir, { w: tensor([1]) })).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['w.safetensors']);
    // A corrupt file on disk is reported, not half-read.
    writeFileSync(path, bytes.subarray(0, bytes.length - 1));
    await expect(loadSafetensors(path)).rejects.toThrow(/fall outside the data region/);
    expect(await saveSafetensors(undefined, { w: tensor([1, 2]) }, { v: '1' })).toEqual(bytes);
  });
});
