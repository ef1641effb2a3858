import { Generator } from '@tsdl/tensor';
import { describe, expect, it } from 'vitest';
import { cropFlip, randomCropFlip } from './augment.js';

const N = 16;
const src = Float32Array.from({ length: N * 3072 }, (_, i) => Math.sin(i * 0.37) + (i % 7));
const fill = [-1.5, -2, -2.5];

function run(seed: number) {
  const dst = new Float32Array(src.length);
  const draws = randomCropFlip(src, dst, N, { pad: 4, flip: true, fill, generator: new Generator(seed) });
  return { dst, draws };
}

describe('random crop (pad 4) + horizontal flip', () => {
  it('is deterministic: the same seed gives the same crops, flips and pixels', () => {
    const a = run(7);
    const b = run(7);
    expect(a.draws).toEqual(b.draws);
    expect(Buffer.from(a.dst.buffer).equals(Buffer.from(b.dst.buffer))).toBe(true);
    const c = run(8);
    expect(c.draws).not.toEqual(a.draws);
  });

  it('draws offsets in [0, 8] and flips about half of the time', () => {
    const dst = new Float32Array(3072 * 400);
    const big = new Float32Array(3072 * 400);
    const draws = randomCropFlip(big, dst, 400, { pad: 4, flip: true, fill, generator: new Generator(1) });
    const dys = new Set(draws.map((d) => d.dy));
    expect([...dys].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const flips = draws.filter((d) => d.flip).length;
    expect(flips).toBeGreaterThan(150);
    expect(flips).toBeLessThan(250);
  });

  it('each output is the drawn window of the padded image, mirrored when drawn so', () => {
    const { dst, draws } = run(3);
    for (let n = 0; n < N; n++) {
      const { dy, dx, flip } = draws[n]!;
      for (let c = 0; c < 3; c++) {
        for (let y = 0; y < 32; y++) {
          for (let x = 0; x < 32; x++) {
            // Reference: build the padded 40×40 image, cut the window, then mirror.
            const cx = flip ? 31 - x : x;
            const py = y + dy;
            const px = cx + dx;
            const inside = py >= 4 && py < 36 && px >= 4 && px < 36;
            const want = inside ? src[n * 3072 + c * 1024 + (py - 4) * 32 + (px - 4)]! : fill[c]!;
            expect(dst[n * 3072 + c * 1024 + y * 32 + x]).toBe(want);
          }
        }
      }
    }
  });

  it('offset (pad, pad) without a flip is the identity', () => {
    const dst = new Float32Array(3072);
    cropFlip(src, dst, 0, { dy: 4, dx: 4, flip: false }, 4, fill);
    expect(Array.from(dst)).toEqual(Array.from(src.subarray(0, 3072)));
  });
});
