import { tensor } from '@tsdl/tensor';
import { DataFrame } from 'danfojs';
import { describe, expect, it } from 'vitest';
import { fromDataFrame, toDataFrame } from './danfo.js';
import { readCsv } from './read-csv.js';

// danfojs 1.2.0's readCSV crashes in Node, so frames are built from readCsv rows.
const CSV = 'sepal,petal,label,species\n5.1,1.4,0,setosa\n7.0,4.7,1,versicolor\n6.3,6.0,2,virginica\n';

describe('danfojs adapters', () => {
  it('round-trips CSV rows → DataFrame → tensor → DataFrame', () => {
    const table = readCsv(CSV);
    const df = new DataFrame(table.toRows());
    expect(df.columns).toEqual(['sepal', 'petal', 'label', 'species']);
    const x = fromDataFrame(df, ['sepal', 'petal', 'label']);
    expect(x.shape).toEqual([3, 3]);
    expect(x.dtype).toBe('float32');
    // Same numbers as the CSV reader's own tensor.
    expect(x.toArray()).toEqual(table.toTensor(['sepal', 'petal', 'label']).toArray());
    const back = toDataFrame(x, ['sepal', 'petal', 'label']);
    expect(back.columns).toEqual(['sepal', 'petal', 'label']);
    expect(back.shape).toEqual([3, 3]);
    expect(fromDataFrame(back).toArray()).toEqual(x.toArray());
    expect(back.column('label').values).toEqual([0, 1, 2]);
  });
  it('defaults column names, keeps float64, and rejects bad input', () => {
    const df = toDataFrame(
      tensor(
        [
          [1, 2],
          [3, 4],
        ],
        { dtype: 'float64' },
      ),
    );
    expect(df.columns).toEqual(['0', '1']);
    expect(fromDataFrame(df, undefined, { dtype: 'float64' }).dtype).toBe('float64');
    expect(toDataFrame(tensor([1, 2, 3]), ['y']).shape).toEqual([3, 1]);
    const mixed = new DataFrame(readCsv(CSV).toRows());
    expect(() => fromDataFrame(mixed)).toThrow(/column "species" row 0 holds "setosa", not a number/);
    expect(() => fromDataFrame(mixed, ['nope'])).toThrow(/unknown column "nope"/);
    expect(() => toDataFrame(tensor([[1, 2]]), ['a'])).toThrow(
      /2 columns \(shape \[1,2\]\) but 1 column names/,
    );
    expect(() => toDataFrame(tensor([[[1]]]))).toThrow(/1-d or 2-d/);
  });
});
