import { ColumnScaler, numberArray } from './column-scaler.js';
import { fail } from './errors.js';

export interface StandardScalerOptions {
  /** Subtract the column mean (default true). */
  withMean?: boolean;
  /** Divide by the column standard deviation (default true). */
  withStd?: boolean;
}

export interface StandardScalerJSON {
  type: 'StandardScaler';
  withMean: boolean;
  withStd: boolean;
  mean: number[];
  var: number[];
}

/**
 * Standardises each column like scikit-learn's StandardScaler: `(x - mean) / scale` with the
 * population standard deviation (ddof 0); a zero-variance column gets scale 1.
 * NaNs are ignored by `fit` and kept by `transform`.
 */
export class StandardScaler extends ColumnScaler {
  readonly withMean: boolean;
  readonly withStd: boolean;
  mean: number[] = [];
  var: number[] = [];
  scale: number[] = [];

  constructor(options: StandardScalerOptions = {}) {
    super();
    this.withMean = options.withMean ?? true;
    this.withStd = options.withStd ?? true;
  }

  protected get name(): string {
    return 'StandardScaler';
  }

  protected fitColumns({ data, rows, cols }: { data: Float64Array; rows: number; cols: number }): void {
    const mean = new Array<number>(cols).fill(0);
    const count = new Array<number>(cols).fill(0);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = data[r * cols + c]!;
        if (!Number.isNaN(v)) {
          mean[c]! += v;
          count[c]!++;
        }
      }
    }
    for (let c = 0; c < cols; c++) mean[c] = count[c] ? mean[c]! / count[c]! : Number.NaN;
    // Two-pass variance: stable when the mean is large relative to the spread.
    const v2 = new Array<number>(cols).fill(0);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const d = data[r * cols + c]! - mean[c]!;
        if (!Number.isNaN(d)) v2[c]! += d * d;
      }
    }
    this.setStats(
      mean,
      v2.map((s, c) => (count[c] ? s / count[c]! : Number.NaN)),
    );
  }

  private setStats(mean: number[], variance: number[]): void {
    this.mean = mean;
    this.var = variance;
    this.scale = variance.map((v) => (v === 0 ? 1 : Math.sqrt(v)));
    this.nFeaturesIn = mean.length;
  }

  protected map(v: number, c: number, inverse: boolean): number {
    const m = this.withMean ? this.mean[c]! : 0;
    const s = this.withStd ? this.scale[c]! : 1;
    return inverse ? v * s + m : (v - m) / s;
  }

  toJSON(): StandardScalerJSON {
    if (this.nFeaturesIn === undefined) fail('StandardScaler.toJSON', 'scaler is not fitted yet');
    return {
      type: 'StandardScaler',
      withMean: this.withMean,
      withStd: this.withStd,
      mean: [...this.mean],
      var: [...this.var],
    };
  }

  /** Rebuilds a fitted scaler from `toJSON()` output (an object or its JSON text). */
  static fromJSON(json: StandardScalerJSON | string): StandardScaler {
    const op = 'StandardScaler.fromJSON';
    const o = (typeof json === 'string' ? JSON.parse(json) : json) as unknown as Record<string, unknown>;
    if (o?.type !== 'StandardScaler')
      fail(op, `expected type "StandardScaler", received ${JSON.stringify(o?.type)}`);
    const mean = numberArray(op, o, 'mean');
    const variance = numberArray(op, o, 'var', mean.length);
    const s = new StandardScaler({ withMean: o.withMean !== false, withStd: o.withStd !== false });
    s.setStats(mean, variance);
    return s;
  }
}
