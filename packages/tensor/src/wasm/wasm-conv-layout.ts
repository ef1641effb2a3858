// Moving the conv GEMMs' [rows, nb·L] operands (one row per channel, nb images' L positions side by
// side; image i of row r at X[off + r·ld + i·ldi]) between JavaScript arrays and an engine's memory.
// In a batch tensor [N, O, L] an image block of dy or of the output is such an operand with ld = L,
// ldi = O·L: moved as one span, and rearranged in linear memory by the module's copyPlanes, instead
// of one JavaScript copy per channel and image.
import type { ConvDirectExports } from './wasm-conv-direct.js';

/** Elements from the operand's first to its last. */
export const imageSpan = (rows: number, nb: number, L: number, ld: number, ldi: number): number =>
  rows <= 0 || nb <= 0 ? 0 : (rows - 1) * ld + (nb - 1) * ldi + L;

/**
 * The operand at X[off] copied to byte `p` as compact rows (row r's image i at p + 4·(r·nb·L + i·L)),
 * via its span staged at byte `stage` unless it is compact already.
 */
export function gatherImageRows(
  ex: ConvDirectExports,
  f32: Float32Array,
  X: Float32Array,
  off: number,
  ld: number,
  ldi: number,
  rows: number,
  nb: number,
  L: number,
  p: number,
  stage: number,
): void {
  const NL = nb * L;
  if ((rows === 1 || ld === NL) && (nb === 1 || ldi === L)) {
    f32.set(X.subarray(off, off + rows * NL), p >> 2);
    return;
  }
  f32.set(X.subarray(off, off + imageSpan(rows, nb, L, ld, ldi)), stage >> 2);
  for (let i = 0; i < nb; i++)
    ex.copyPlanes(stage + 4 * i * ldi, ld, 0, p + 4 * i * L, NL, 0, rows, 1, L, 1, 0);
}

/**
 * Writing into the operand C[offC] through its span staged at byte `stage`: brings the span in now
 * unless the writes overwrite all of it (the operand is dense and `beta` is 0); `end` copies it back.
 * Dense: its rows·nb·L elements fill the span (a whole batch block of an ungrouped conv).
 */
export function stageImageRows(
  f32: Float32Array,
  C: Float32Array,
  offC: number,
  ld: number,
  ldi: number,
  rows: number,
  nb: number,
  L: number,
  stage: number,
  beta: number,
): { end(f32: Float32Array): void } {
  const span = imageSpan(rows, nb, L, ld, ldi);
  if (span !== rows * nb * L || beta !== 0) f32.set(C.subarray(offC, offC + span), stage >> 2);
  return { end: (v) => C.set(v.subarray(stage >> 2, (stage >> 2) + span), offC) };
}
