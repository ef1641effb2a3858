import { linalg, Tensor } from '@tsdl/tensor';

/** The classic 5 users × 4 items example; 0 = unknown. */
export const DEMO_R = [
  [5, 3, 0, 1],
  [4, 0, 0, 1],
  [1, 1, 0, 5],
  [1, 0, 0, 4],
  [0, 1, 5, 4],
];

export interface DemoResult {
  U: number[][];
  S: number[];
  Vh: number[][];
  /** U_k Σ_k V_kᵀ. */
  reconstruction: number[][];
  /** Mean squared error of the reconstruction over the known (non-zero) entries. */
  mseKnown: number;
}

const rows = (t: Tensor): number[][] => {
  const [m, n] = t.shape as [number, number];
  const d = t.toTypedArray();
  return Array.from({ length: m }, (_, i) => Array.from(d.subarray(i * n, (i + 1) * n)));
};

/** Full SVD of R as it is (no centring; unknowns are zeros), rank-k reconstruction and its error on the known ratings. */
export function svdDemo(R: number[][] = DEMO_R, k = 2): DemoResult {
  const { U, S, Vh } = linalg.svd(new Tensor(Float64Array.from(R.flat()), [R.length, R[0]!.length]));
  const u = rows(U);
  const s = Array.from(S.toTypedArray());
  const vh = rows(Vh);
  const reconstruction = R.map((row, i) =>
    row.map((_, j) => {
      let v = 0;
      for (let c = 0; c < k; c++) v += u[i]![c]! * s[c]! * vh[c]![j]!;
      return v;
    }),
  );
  let se = 0;
  let n = 0;
  for (const [i, row] of R.entries()) {
    for (const [j, r] of row.entries()) {
      if (r === 0) continue;
      se += (r - reconstruction[i]![j]!) ** 2;
      n++;
    }
  }
  return { U: u, S: s, Vh: vh, reconstruction, mseKnown: se / n };
}

const fmt = (m: number[][]): string =>
  m.map((r) => r.map((v) => v.toFixed(4).padStart(8)).join(' ')).join('\n');

export function formatDemo(d: DemoResult, R: number[][] = DEMO_R, k = 2): string {
  return [
    'R (0 = unknown):',
    fmt(R),
    '',
    'U:',
    fmt(d.U),
    '',
    `Σ: ${d.S.map((v) => v.toFixed(4)).join(' ')}`,
    '',
    'Vᵀ:',
    fmt(d.Vh),
    '',
    `rank-${k} reconstruction U_${k} Σ_${k} V_${k}ᵀ:`,
    fmt(d.reconstruction),
    '',
    `MSE on the ${R.flat().filter((v) => v !== 0).length} known ratings: ${d.mseKnown.toFixed(4)}`,
  ].join('\n');
}
