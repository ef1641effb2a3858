import { describe, expect, it } from 'vitest';
import { readCsv } from './read-csv.js';

describe('readCsv', () => {
  it('types columns: numbers where every value parses, strings otherwise', () => {
    const t = readCsv('id,price,name\n1,2.5,apple\n2,-1e3,"pear, ripe"\n3,.5,fig\n');
    expect(t.columns).toEqual(['id', 'price', 'name']);
    expect(t.rows).toBe(3);
    expect(t.data.id).toEqual(Float64Array.of(1, 2, 3));
    expect(t.data.price).toEqual(Float64Array.of(2.5, -1000, 0.5));
    expect(t.data.name).toEqual(['apple', 'pear, ripe', 'fig']);
    const x = t.toTensor(['price', 'id']);
    expect(x.shape).toEqual([3, 2]);
    expect(x.toArray()).toEqual([
      [2.5, 1],
      [-1000, 2],
      [0.5, 3],
    ]);
    expect(() => t.toTensor(['name'])).toThrow(/column "name" holds strings/);
    expect(t.toRows()[1]).toEqual({ id: 2, price: -1000, name: 'pear, ripe' });
  });
  it('reads bytes, selects and forces columns, and works without a header', () => {
    const bytes = new TextEncoder().encode('\ufeffa;b;c\r\n1;x;3\r\n4;y;6\r\n');
    const t = readCsv(bytes, { delimiter: ';', columns: ['c', 'a'], dtypes: { a: 'string' } });
    expect(t.columns).toEqual(['c', 'a']);
    expect(t.data.c).toEqual(Float64Array.of(3, 6));
    expect(t.data.a).toEqual(['1', '4']);
    const h = readCsv('1,2\n3,4', { header: false });
    expect(h.columns).toEqual(['0', '1']);
    expect(h.toTensor().toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(() => readCsv('a,b\n1,2', { columns: ['z'] })).toThrow(
      /unknown column "z"; the columns are "a", "b"/,
    );
    expect(() => readCsv('a,b\n1,x', { dtypes: { b: 'number' } })).toThrow(
      /column "b" is typed 'number' but line 2 holds "x"/,
    );
  });
  it('reports missing values with 1-based line numbers (blank and quoted multi-line rows counted)', () => {
    const text = 'a,b,c\n1,2,x\n,5,y\n\n"multi\nline",7,\n8,NA,z\n';
    // Lines: 1 header, 2 "1,2,x", 3 ",5,y", 4 blank, 5-6 the quoted row, 7 "8,NA,z".
    expect(() => readCsv(text)).toThrow(
      /3 missing values: column "a" line 3, column "c" line 5, column "b" line 7 \(pass onMissing/,
    );
    const t = readCsv(text, { onMissing: 'report' });
    expect(t.missing).toEqual([
      { column: 'a', line: 3 },
      { column: 'c', line: 5 },
      { column: 'b', line: 7 },
    ]);
    expect(t.data.b).toEqual(Float64Array.of(2, 5, 7, Number.NaN));
    expect(t.data.a).toEqual(['1', '', 'multi\nline', '8']);
    expect(readCsv(text, { onMissing: 'keep' }).missing).toEqual([]);
  });
  it('rejects ragged rows and bad quoting naming the line', () => {
    expect(() => readCsv('a,b\n1,2\n3\n')).toThrow(/line 3 has 1 fields, expected 2 \(a, b\): "3"/);
    expect(() => readCsv('a,b\n1,"2\n')).toThrow(/line 2: .*[Qq]uote/);
    expect(() => readCsv('a,a\n1,2')).toThrow(/duplicate column name "a"/);
    expect(() => readCsv('')).toThrow(/no header/);
  });
});
