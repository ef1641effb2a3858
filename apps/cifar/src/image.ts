import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** Decoded pixels, RGBA row-major (4 bytes per pixel). */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8;

/** Decodes a PNG or JPEG file's bytes (told apart by their signatures, not by the file name). */
export function decodeImage(bytes: Uint8Array): Rgba {
  if (isPng(bytes)) {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return {
      width: png.width,
      height: png.height,
      data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength),
    };
  }
  if (isJpeg(bytes)) {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
    return { width: img.width, height: img.height, data: img.data };
  }
  const head = Array.from(bytes.subarray(0, 4), (v) => v.toString(16).padStart(2, '0')).join(' ');
  throw new Error(
    `decodeImage: not a PNG or JPEG (first bytes ${head || 'none'}; expected 89 50 4e 47 or ff d8)`,
  );
}

/**
 * Any picture → a CIFAR-10 input: the centred square crop, area-averaged down to 32×32
 * (nearest pixel when upscaling), transparent pixels composited on white, as CHW bytes.
 */
export function toCifar(img: Rgba): Uint8Array {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(3 * 32 * 32);
  if (w === 32 && h === 32) {
    for (let i = 0; i < 1024; i++) {
      const a = data[i * 4 + 3]! / 255;
      for (let c = 0; c < 3; c++) out[c * 1024 + i] = Math.round(data[i * 4 + c]! * a + 255 * (1 - a));
    }
    return out;
  }
  const side = Math.min(w, h);
  const x0 = (w - side) / 2;
  const y0 = (h - side) / 2;
  const step = side / 32;
  const acc = [0, 0, 0];
  for (let ty = 0; ty < 32; ty++) {
    const sy0 = y0 + ty * step;
    const sy1 = sy0 + step;
    for (let tx = 0; tx < 32; tx++) {
      const sx0 = x0 + tx * step;
      const sx1 = sx0 + step;
      acc.fill(0);
      let area = 0;
      for (let sy = Math.floor(sy0); sy < Math.ceil(sy1); sy++) {
        const fy = Math.min(sy + 1, sy1) - Math.max(sy, sy0);
        for (let sx = Math.floor(sx0); sx < Math.ceil(sx1); sx++) {
          const f = fy * (Math.min(sx + 1, sx1) - Math.max(sx, sx0));
          const p = (sy * w + sx) * 4;
          const a = data[p + 3]! / 255;
          for (let c = 0; c < 3; c++) acc[c]! += f * (data[p + c]! * a + 255 * (1 - a));
          area += f;
        }
      }
      for (let c = 0; c < 3; c++) out[c * 1024 + ty * 32 + tx] = Math.round(acc[c]! / area);
    }
  }
  return out;
}

/** CHW bytes of a 32×32 image → PNG bytes (for pictures and test fixtures). */
export function encodePng(chw: Uint8Array, width = 32, height = 32): Uint8Array {
  const png = new PNG({ width, height });
  const n = width * height;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) png.data[i * 4 + c] = chw[c * n + i]!;
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}
