// Pure pixel code shared by the CLI (predict) and the browser page: no Node APIs here.

/** Grayscale pixels in [0, 1], row-major. */
export interface Gray {
  width: number;
  height: number;
  pixels: Float32Array;
}

/**
 * Turns any grayscale picture of one digit into an MNIST-style 28×28 input: bright ink on black,
 * the ink's bounding box scaled to fit 20×20 (area averaging) and centred by its centre of mass.
 */
export function toMnist(img: Gray): Float32Array {
  const { width: w, height: h } = img;
  // MNIST polarity: light digits on a dark background. Judge the background by the border.
  let border = 0;
  let nb = 0;
  for (let x = 0; x < w; x++) {
    border += img.pixels[x]! + img.pixels[(h - 1) * w + x]!;
    nb += 2;
  }
  for (let y = 0; y < h; y++) {
    border += img.pixels[y * w]! + img.pixels[y * w + w - 1]!;
    nb += 2;
  }
  const invert = border / nb > 0.5;
  const ink = img.pixels.map((v) => (invert ? 1 - v : v));
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (ink[y * w + x]! > 0.2) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  const out = new Float32Array(784);
  if (x1 < 0) return out; // blank image
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = 20 / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * scale));
  const th = Math.max(1, Math.round(bh * scale));
  // Area-average resample of the bounding box into tw×th.
  const small = new Float32Array(tw * th);
  for (let ty = 0; ty < th; ty++) {
    for (let tx = 0; tx < tw; tx++) {
      const sx0 = x0 + (tx * bw) / tw;
      const sx1 = x0 + ((tx + 1) * bw) / tw;
      const sy0 = y0 + (ty * bh) / th;
      const sy1 = y0 + ((ty + 1) * bh) / th;
      let sum = 0;
      let area = 0;
      for (let sy = Math.floor(sy0); sy < Math.ceil(sy1); sy++) {
        const fy = Math.min(sy + 1, sy1) - Math.max(sy, sy0);
        for (let sx = Math.floor(sx0); sx < Math.ceil(sx1); sx++) {
          const fx = Math.min(sx + 1, sx1) - Math.max(sx, sx0);
          sum += ink[sy * w + sx]! * fx * fy;
          area += fx * fy;
        }
      }
      small[ty * tw + tx] = area > 0 ? sum / area : 0;
    }
  }
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = small[y * tw + x]!;
      mass += v;
      cx += v * x;
      cy += v * y;
    }
  }
  const ox = Math.round(14 - (mass > 0 ? cx / mass : tw / 2));
  const oy = Math.round(14 - (mass > 0 ? cy / mass : th / 2));
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const X = x + ox;
      const Y = y + oy;
      if (X >= 0 && X < 28 && Y >= 0 && Y < 28) out[Y * 28 + X] = Math.min(1, small[y * tw + x]!);
    }
  }
  return out;
}
