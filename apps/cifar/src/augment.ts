import type { Generator } from '@tsdl/tensor';

const S = 32;
const PLANE = S * S;

/** One image's augmentation: the crop's top-left corner in the padded image, and whether to mirror. */
export interface CropFlip {
  dy: number;
  dx: number;
  flip: boolean;
}

/** Draws one CropFlip: dy, dx uniform in [0, 2·pad], then a flip with probability ½ (when enabled). */
export function drawCropFlip(g: Generator, pad: number, flip: boolean): CropFlip {
  const dy = pad > 0 ? g.randint(0, 2 * pad + 1) : 0;
  const dx = pad > 0 ? g.randint(0, 2 * pad + 1) : 0;
  return { dy, dx, flip: flip ? g.random() < 0.5 : false };
}

/**
 * torchvision's RandomCrop(32, padding=pad) + RandomHorizontalFlip on a batch of normalised CHW
 * images: each image is padded by `pad` pixels of `fill` (per channel: the normalised value of black,
 * matching zero padding before normalisation), a 32×32 window at (dy, dx) is cut out, and mirrored
 * if drawn so. Reads `src`, writes `dst` (distinct arrays of count·3·32·32 floats). Returns the draws.
 */
export function randomCropFlip(
  src: Float32Array,
  dst: Float32Array,
  count: number,
  opts: { pad: number; flip: boolean; fill: readonly number[]; generator: Generator },
): CropFlip[] {
  const draws: CropFlip[] = [];
  for (let n = 0; n < count; n++) {
    const d = drawCropFlip(opts.generator, opts.pad, opts.flip);
    draws.push(d);
    cropFlip(src, dst, n * 3 * PLANE, d, opts.pad, opts.fill);
  }
  return draws;
}

/** Applies one CropFlip to the image at `off` (same offset in src and dst). */
export function cropFlip(
  src: Float32Array,
  dst: Float32Array,
  off: number,
  d: CropFlip,
  pad: number,
  fill: readonly number[],
): void {
  for (let c = 0; c < 3; c++) {
    const base = off + c * PLANE;
    const f = fill[c] ?? 0;
    for (let y = 0; y < S; y++) {
      const sy = y + d.dy - pad;
      const row = base + y * S;
      if (sy < 0 || sy >= S) {
        dst.fill(f, row, row + S);
        continue;
      }
      for (let x = 0; x < S; x++) {
        const sx = (d.flip ? S - 1 - x : x) + d.dx - pad;
        dst[row + x] = sx >= 0 && sx < S ? src[base + sy * S + sx]! : f;
      }
    }
  }
}
