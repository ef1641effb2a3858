import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeImage, encodePng, toCifar } from './image.js';
import { encodeJpeg, makeFixtureSet } from './test-utils/fixture.js';

describe('image decoding and resizing to 32×32 RGB', () => {
  const img = makeFixtureSet(1, 2).images;

  it('round-trips PNG exactly and JPEG closely, telling them apart by signature', () => {
    expect(Array.from(toCifar(decodeImage(encodePng(img))))).toEqual(Array.from(img));
    const j = toCifar(decodeImage(encodeJpeg(img)));
    let diff = 0;
    for (let i = 0; i < img.length; i++) diff += Math.abs(j[i]! - img[i]!);
    expect(diff / img.length).toBeLessThan(12);
    expect(() => decodeImage(new Uint8Array([1, 2, 3, 4]))).toThrow(
      /not a PNG or JPEG \(first bytes 01 02 03 04/,
    );
  });

  it('crops the centre square and area-averages any size down to 32×32; transparency becomes white', () => {
    // 96×64 image: a 16-px red border left and right (cropped away), a checkerboard of 2×2 blocks inside.
    const png = new PNG({ width: 96, height: 64 });
    for (let y = 0; y < 64; y++) {
      for (let x = 0; x < 96; x++) {
        const p = (y * 96 + x) * 4;
        const inside = x >= 16 && x < 80;
        const v = inside ? ((Math.floor((x - 16) / 2) + Math.floor(y / 2)) % 2) * 200 : 0;
        png.data[p] = inside ? v : 255;
        png.data[p + 1] = v;
        png.data[p + 2] = v;
        png.data[p + 3] = y === 0 && x === 16 ? 0 : 255;
      }
    }
    const out = toCifar(decodeImage(PNG.sync.write(png)));
    // Each 2×2 source block maps to one output pixel: a checkerboard of 0 / 200, no red border.
    expect(out[5 * 32 + 7]).toBe(((7 + 5) % 2) * 200);
    expect(out[1024 + 6 * 32 + 6]).toBe(0);
    expect(out[1024 + 6 * 32 + 7]).toBe(200);
    // The top-left output pixel averages 3 black pixels and 1 transparent one (white): 255/4.
    expect(out[0]).toBe(64);
  });
});
