import { describe, expect, it } from 'vitest';
import { Generator, matmul, referenceKernels, setKernel, tensor } from './index.js';
import type { FloatArray, SgemmKernel, Window2d } from './kernels.js';
import { naiveGemm } from './test-utils/naive.js';

const gen = new Generator(7);
const randArr = (n: number, f64: boolean): FloatArray => {
  const a = f64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = gen.normal();
  return a;
};

/** Stores op(X) (rows×cols) with row stride ld ≥ its stored width, transposed if trans, at offset off. */
function store(
  X: ArrayLike<number>,
  rows: number,
  cols: number,
  trans: boolean,
  pad: number,
  off: number,
  f64: boolean,
) {
  const sr = trans ? cols : rows;
  const sc = trans ? rows : cols;
  const ld = sc + pad;
  const out = f64 ? new Float64Array(off + sr * ld) : new Float32Array(off + sr * ld);
  out.fill(Number.NaN); // gaps must never be read
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      out[off + (trans ? j * ld + i : i * ld + j)] = X[i * cols + j]!;
    }
  return { data: out, ld };
}

// Every sgemm implementation is held to the naive product; a faster kernel adds itself here.
const sgemmImpls: [string, SgemmKernel][] = [['reference', referenceKernels.sgemm]];

describe.each(sgemmImpls)('kernels.sgemm (%s)', (_name, sgemm) => {
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 7],
    [4, 4, 4],
    [13, 1, 9],
    [1, 17, 33],
    [67, 65, 63],
    [5, 130, 300],
    [130, 7, 257],
    [70, 1030, 3],
  ];
  for (const [M, N, K] of sizes) {
    for (const [tA, tB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`matches the naive product M=${M} N=${N} K=${K} transA=${tA} transB=${tB}`, () => {
        for (const f64 of [false, true]) {
          const A = randArr(M * K, true);
          const B = randArr(K * N, true);
          const ref = naiveGemm(A, B, M, N, K);
          const sa = store(A, M, K, tA, 3, 2, f64);
          const sb = store(B, K, N, tB, 1, 5, f64);
          const ldc = N + 2;
          const C = f64 ? new Float64Array(4 + M * ldc) : new Float32Array(4 + M * ldc);
          const C0 = randArr(C.length, f64);
          C.set(C0);
          const alpha = 0.5;
          const beta = -2;
          referenceKernels.sgemm(
            tA,
            tB,
            M,
            N,
            K,
            alpha,
            sa.data,
            sa.ld,
            sb.data,
            sb.ld,
            beta,
            C,
            ldc,
            2,
            5,
            4,
          );
          const tol = f64 ? 1e-12 : 1e-4;
          for (let i = 0; i < M; i++)
            for (let j = 0; j < N; j++) {
              const want = alpha * ref[i * N + j]! + beta * C0[4 + i * ldc + j]!;
              const got = C[4 + i * ldc + j]!;
              if (Math.abs(got - want) > tol * (1 + Math.abs(want) + Math.sqrt(K))) {
                expect.fail(`C[${i},${j}] = ${got}, want ${want} (f64=${f64})`);
              }
            }
          // Padding columns of C are untouched.
          for (let i = 0; i < M; i++) expect(C[4 + i * ldc + N]).toBe(C0[4 + i * ldc + N]);
        }
      });
    }
  }

  it('beta = 0 overwrites C even where it holds NaN; K = 0 gives beta·C', () => {
    const C = new Float32Array([Number.NaN, Number.NaN]);
    referenceKernels.sgemm(
      false,
      false,
      1,
      2,
      1,
      1,
      new Float32Array([2]),
      1,
      new Float32Array([3, 4]),
      2,
      0,
      C,
      2,
    );
    expect([...C]).toEqual([6, 8]);
    const D = new Float64Array([1, 2]);
    sgemm(false, false, 1, 2, 0, 1, new Float64Array(0), 1, new Float64Array(0), 2, 3, D, 2);
    expect([...D]).toEqual([3, 6]);
  });
});

describe('kernels.im2col / col2im', () => {
  it('unfold windows (zeros in padding) and are adjoint: ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩', () => {
    const g: Window2d = { H: 5, W: 6, OH: 3, OW: 2, kh: 2, kw: 3, sh: 2, sw: 3, ph: 1, pw: 1, dh: 1, dw: 2 };
    const C = 2;
    const x = randArr(3 + C * g.H * g.W, true);
    const rows = C * g.kh * g.kw;
    const col = new Float64Array(rows * g.OH * g.OW);
    referenceKernels.im2col(x, 3, C, g, col);
    for (let c = 0; c < C; c++)
      for (let i = 0; i < g.kh; i++)
        for (let j = 0; j < g.kw; j++) {
          for (let oh = 0; oh < g.OH; oh++)
            for (let ow = 0; ow < g.OW; ow++) {
              const h = oh * g.sh - g.ph + i * g.dh;
              const w = ow * g.sw - g.pw + j * g.dw;
              const want = h >= 0 && h < g.H && w >= 0 && w < g.W ? x[3 + (c * g.H + h) * g.W + w]! : 0;
              expect(col[((c * g.kh + i) * g.kw + j) * g.OH * g.OW + oh * g.OW + ow]).toBe(want);
            }
        }
    const r = randArr(col.length, true);
    const back = new Float64Array(x.length);
    referenceKernels.col2im(r, C, g, back, 3);
    let lhs = 0;
    let rhs = 0;
    for (let i = 0; i < col.length; i++) lhs += col[i]! * r[i]!;
    for (let i = 3; i < x.length; i++) rhs += x[i]! * back[i]!;
    expect(rhs).toBeCloseTo(lhs, 10);
  });
});

/** im2col by its definition, into a wider matrix at colOff with row stride ld (the oracle). */
function naiveIm2col(
  x: FloatArray,
  xOff: number,
  C: number,
  g: Window2d,
  col: FloatArray,
  colOff: number,
  ld: number,
) {
  for (let c = 0; c < C; c++)
    for (let i = 0; i < g.kh; i++)
      for (let j = 0; j < g.kw; j++)
        for (let oh = 0; oh < g.OH; oh++)
          for (let ow = 0; ow < g.OW; ow++) {
            const h = oh * g.sh - g.ph + i * g.dh;
            const w = ow * g.sw - g.pw + j * g.dw;
            const v = h >= 0 && h < g.H && w >= 0 && w < g.W ? x[xOff + (c * g.H + h) * g.W + w]! : 0;
            col[colOff + ((c * g.kh + i) * g.kw + j) * ld + oh * g.OW + ow] = v;
          }
}

describe('kernels.im2col / col2im with an offset and a wider row stride', () => {
  // Odd shapes: padding wider than the kernel, strides that skip past the edge, dilation, 1×1.
  const geoms: [number, number, number, number, number, number, number, number, number, number][] = [
    // H, W, kh, kw, sh, sw, ph, pw, dh, dw
    [5, 7, 3, 3, 1, 1, 1, 1, 1, 1],
    [6, 5, 2, 3, 2, 3, 3, 4, 1, 1],
    [9, 8, 3, 2, 2, 1, 2, 0, 2, 3],
    [4, 4, 1, 1, 1, 1, 0, 0, 1, 1],
    [7, 3, 5, 1, 3, 2, 0, 2, 1, 1],
    [3, 11, 1, 4, 1, 3, 1, 5, 1, 2],
  ];
  for (const [H, W, kh, kw, sh, sw, ph, pw, dh, dw] of geoms) {
    const OH = Math.floor((H + 2 * ph - dh * (kh - 1) - 1) / sh) + 1;
    const OW = Math.floor((W + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
    const g: Window2d = { H, W, OH, OW, kh, kw, sh, sw, ph, pw, dh, dw };
    for (const f64 of [false, true]) {
      it(`matches the definition: ${JSON.stringify(g)} ${f64 ? 'float64' : 'float32'}`, () => {
        const C = 3;
        const L = OH * OW;
        const colOff = 5;
        const ld = 2 * L + 3; // block sits in the middle of wider rows
        const x = randArr(2 + C * H * W, f64);
        const rows = C * kh * kw;
        const mk = () => {
          const a = f64 ? new Float64Array(colOff + rows * ld) : new Float32Array(colOff + rows * ld);
          return a.fill(Number.NaN);
        };
        const want = mk();
        naiveIm2col(x, 2, C, g, want, colOff + L, ld);
        const got = mk();
        referenceKernels.im2col(x, 2, C, g, got, colOff + L, ld);
        expect(got).toEqual(want); // NaN outside the block: nothing else was written
        // col2im is the adjoint: ⟨im2col(x), r⟩ = ⟨x, col2im(r)⟩, and it writes only inside dx's image.
        const r = randArr(want.length, f64);
        const back = f64 ? new Float64Array(x.length + 2) : new Float32Array(x.length + 2);
        referenceKernels.col2im(r, C, g, back, 2, colOff + L, ld);
        let lhs = 0;
        for (let row = 0; row < rows; row++)
          for (let l = 0; l < L; l++) {
            const i = colOff + L + row * ld + l;
            lhs += want[i]! * r[i]!;
          }
        let rhs = 0;
        for (let i = 2; i < x.length; i++) rhs += x[i]! * back[i]!;
        expect(rhs).toBeCloseTo(lhs, f64 ? 10 : 3);
        expect([back[0], back[1], back[x.length], back[x.length + 1]]).toEqual([0, 0, 0, 0]);
      });
    }
  }
});

describe('setKernel', () => {
  it('routes matmul through a replaced sgemm and restores it', () => {
    let calls = 0;
    const spy: SgemmKernel = (...args) => {
      calls++;
      referenceKernels.sgemm(...args);
    };
    const prev = setKernel('sgemm', spy);
    try {
      const y = matmul(tensor([[1, 2]]), tensor([[3], [4]]));
      expect(y.toArray()).toEqual([[11]]);
      expect(calls).toBe(1);
    } finally {
      setKernel('sgemm', prev);
    }
    expect(matmul(tensor([[1, 2]]), tensor([[3], [4]])).toArray()).toEqual([[11]]);
    expect(calls).toBe(1);
  });
  it('rejects unknown names and non-functions', () => {
    expect(() => setKernel('nope' as 'sgemm', referenceKernels.sgemm)).toThrow(
      /setKernel: name must be one of .*sgemm.*received 'nope'/,
    );
    expect(() => setKernel('sgemm', 3 as unknown as SgemmKernel)).toThrow(
      /setKernel: impl for 'sgemm' must be a function/,
    );
  });
});
