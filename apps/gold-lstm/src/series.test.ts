import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GOLD_DEFAULT_FROM, loadSeries, seriesFromCsv } from './series.js';

describe('series loading (readCsv → danfojs DataFrame → series)', () => {
  it('loads the bundled monthly gold prices from 1975 on, in order', async () => {
    const s = await loadSeries(undefined);
    expect(s.dates[0]).toBe(GOLD_DEFAULT_FROM);
    expect(s.values.length).toBeGreaterThan(600);
    for (let i = 1; i < s.dates.length; i++)
      expect(Date.parse(s.dates[i]!) > Date.parse(s.dates[i - 1]!)).toBe(true);
    // January 1975: $176/oz in the World Bank series.
    expect(s.values[0]).toBeCloseTo(176, 6);
    expect(s.source).toMatch(/gold/);
  });

  it('sorts rows by date, drops missing values, applies --from/--to and rejects repeated dates', async () => {
    const csv =
      'when,v,other\n2020-03-01,3,x\n2020-01-01,1,y\n2020-02-01,,z\n2020-04-01,4,w\n2019-12-01,0.5,q\n';
    const s = await seriesFromCsv(csv, { dateCol: 'when', valueCol: 'v' });
    expect(s.dates).toEqual(['2019-12-01', '2020-01-01', '2020-03-01', '2020-04-01']);
    expect(Array.from(s.values)).toEqual([0.5, 1, 3, 4]);
    const cut = await seriesFromCsv(csv, {
      dateCol: 'when',
      valueCol: 'v',
      from: '2020-01-01',
      to: '2020-03-15',
    });
    expect(Array.from(cut.values)).toEqual([1, 3]);
    await expect(
      seriesFromCsv('d,v\n2020-01,1\n2020-01,2\n', { dateCol: 'd', valueCol: 'v' }),
    ).rejects.toThrow(/appears more than once/);
    await expect(seriesFromCsv('d,v\nyesterday,1\n', { dateCol: 'd', valueCol: 'v' })).rejects.toThrow(
      /not a date/,
    );
    await expect(seriesFromCsv('d,v\n2020-01,1\n', { dateCol: 'date', valueCol: 'v' })).rejects.toThrow(
      /unknown column "date"/,
    );
  });

  // vega-datasets' exports map hides data/; pnpm links the package into this app's node_modules.
  const sp500 = fileURLToPath(new URL('../node_modules/vega-datasets/data/sp500-2000.csv', import.meta.url));
  it('reads the daily S&P 500 closes shipped in vega-datasets', async () => {
    expect(existsSync(sp500)).toBe(true);
    const s = await loadSeries(sp500, { dateCol: 'date', valueCol: 'close' });
    expect(s.values.length).toBeGreaterThan(5000);
    expect(s.dates[0]).toBe('2000-01-03');
  });
});
