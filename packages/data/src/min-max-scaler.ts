import { ColumnScaler, numberArray } from './column-scaler.js';
import { fail } from './errors.js';

export interface MinMaxScalerOptions {
  /** Target range of each column (default [0, 1]). */
  featureRange?: readonly [number, number];
  /** Clip transformed values into `featureRange` (default false). */
  clip?: boolean;
}

export interface MinMaxScalerJSON {
  type: 'MinMaxScaler';
  featureRange: [number, number];
  clip: boolean;
  dataMin: number[];
  dataMax: number[];
}

/**
 * Scales each column to `featureRange` from the minimum and maximum seen by `fit`, like
 * scikit-learn's MinMaxScaler: `x * scale + min` with `scale = (hi - lo) / (dataMax - dataMin)`;
 * a constant column gets range 1 (so it maps to `lo`). NaNs are ignored by `fit` and kept by `transform`.
 */
export class MinMaxScaler extends ColumnScaler {
  readonly featureRange: [number, number];
  readonly clip: boolean;
  dataMin: number[] = [];
  dataMax: number[] = [];
  scale: number[] = [];
  min: number[] = [];

  constructor(options: MinMaxScalerOptions = {}) {
    super();
    const [lo, hi] = options.featureRange ?? [0, 1];
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
      fail('MinMaxScaler', `featureRange must be [min, max] with min < max, received [${lo}, ${hi}]`);
    }
    this.featureRange = [lo, hi];
    this.clip = options.clip ?? false;
  }

  protected get name(): string {
    return 'MinMaxScaler';
  }

  protected fitColumns({ data, rows, cols }: { data: Float64Array; rows: number; cols: number }): void {
    const mn = new Array<number>(cols).fill(Number.POSITIVE_INFINITY);
    const mx = new Array<number>(cols).fill(Number.NEGATIVE_INFINITY);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = data[r * cols + c]!;
        if (v < mn[c]!) mn[c] = v;
        if (v > mx[c]!) mx[c] = v;
      }
    }
    // An all-NaN column has no extremes: NaN like scikit-learn's nanmin.
    for (let c = 0; c < cols; c++) {
      if (mn[c] === Number.POSITIVE_INFINITY && mx[c] === Number.NEGATIVE_INFINITY)
        mn[c] = mx[c] = Number.NaN;
    }
    this.setStats(mn, mx);
  }

  private setStats(dataMin: number[], dataMax: number[]): void {
    const [lo, hi] = this.featureRange;
    this.dataMin = dataMin;
    this.dataMax = dataMax;
    this.scale = dataMin.map((m, c) => {
      const range = dataMax[c]! - m;
      return (hi - lo) / (range === 0 ? 1 : range);
    });
    this.min = dataMin.map((m, c) => lo - m * this.scale[c]!);
    this.nFeaturesIn = dataMin.length;
  }

  protected map(v: number, c: number, inverse: boolean): number {
    if (inverse) return (v - this.min[c]!) / this.scale[c]!;
    const y = v * this.scale[c]! + this.min[c]!;
    return this.clip ? Math.min(this.featureRange[1], Math.max(this.featureRange[0], y)) : y;
  }

  toJSON(): MinMaxScalerJSON {
    if (this.nFeaturesIn === undefined) fail('MinMaxScaler.toJSON', 'scaler is not fitted yet');
    return {
      type: 'MinMaxScaler',
      featureRange: [...this.featureRange],
      clip: this.clip,
      dataMin: [...this.dataMin],
      dataMax: [...this.dataMax],
    };
  }

  /** Rebuilds a fitted scaler from `toJSON()` output (an object or its JSON text). */
  static fromJSON(json: MinMaxScalerJSON | string): MinMaxScaler {
    const op = 'MinMaxScaler.fromJSON';
    const o = (typeof json === 'string' ? JSON.parse(json) : json) as unknown as Record<string, unknown>;
    if (o?.type !== 'MinMaxScaler')
      fail(op, `expected type "MinMaxScaler", received ${JSON.stringify(o?.type)}`);
    const range = numberArray(op, o, 'featureRange', 2);
    const dataMin = numberArray(op, o, 'dataMin');
    const dataMax = numberArray(op, o, 'dataMax', dataMin.length);
    const s = new MinMaxScaler({ featureRange: [range[0]!, range[1]!], clip: o.clip === true });
    s.setStats(dataMin, dataMax);
    return s;
  }
}
