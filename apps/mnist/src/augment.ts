import type { Generator } from '@tsdl/tensor';

/**
 * Translates each 28×28 image in `batch` by a random integer offset in [-max, max] on both axes,
 * filling with background (0). In place on `out`; draws two integers per image from `g`.
 */
export function randomShift(
  batch: Float32Array,
  out: Float32Array,
  count: number,
  max: number,
  g: Generator,
): void {
  out.fill(0);
  for (let n = 0; n < count; n++) {
    const dy = g.randint(-max, max + 1);
    const dx = g.randint(-max, max + 1);
    const src = n * 784;
    for (let y = 0; y < 28; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= 28) continue;
      const x0 = Math.max(0, dx);
      const x1 = Math.min(28, 28 + dx);
      for (let x = x0; x < x1; x++) out[src + y * 28 + x] = batch[src + sy * 28 + x - dx]!;
    }
  }
}
