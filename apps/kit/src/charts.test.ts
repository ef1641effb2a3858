import { describe, expect, it } from 'vitest';
import { escapeXml, evenTicks, heatmap, lineChart, scatterChart } from './charts.js';

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;
const points = (svg: string) =>
  [...svg.matchAll(/points="([^"]*)"/g)].map((m) => m[1]!.split(' ').map((p) => p.split(',').map(Number)));

describe('lineChart', () => {
  const opts = { title: 'loss & <acc>', xLabel: 'epoch', yLabel: 'loss' };

  it('draws one polyline per series spanning the plot, lowest value at the bottom', () => {
    const svg = lineChart(
      [
        { name: 'a', values: [3, 1, 2], color: '#f00' },
        { name: 'b', values: Float32Array.of(2, 2, 2), color: '#00f', dash: '4 3' },
      ],
      opts,
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('width="640" height="360"');
    const [a, b] = points(svg);
    expect(a).toHaveLength(3);
    expect(a![0]![0]).toBe(60); // left margin
    expect(a![2]![0]).toBe(620); // width − right margin
    expect(a![1]![1]).toBe(310); // the minimum sits on the x axis (height − bottom margin)
    expect(a![0]![1]).toBe(40); // the maximum at the top margin
    expect(b![0]![1]).toBe(175); // halfway between 1 and 3
    expect(count(svg, /stroke-dasharray="4 3"/g)).toBe(1);
    expect(svg).toContain('loss &amp; &lt;acc>');
    expect(svg).toContain('text-anchor="end" fill="#f00">a</text>'); // legend on the right by default
  });

  it("numbers the points with xTicks 'index', about ten past 12 points, and places labelled ticks", () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => i);
    const labels = (svg: string) =>
      [...svg.matchAll(/y="326" text-anchor="middle">([^<]*)</g)].map((m) => m[1]);
    expect(
      labels(lineChart([{ name: 'a', values: values(5), color: 'red' }], { ...opts, xTicks: 'index' })),
    ).toEqual(['1', '2', '3', '4', '5']);
    const many = labels(
      lineChart([{ name: 'a', values: values(30), color: 'red' }], { ...opts, xTicks: 'index' }),
    );
    expect(many).toEqual(['1', '4', '7', '10', '13', '16', '19', '22', '25', '28', '30']);
    expect(labels(lineChart([{ name: 'a', values: values(5), color: 'red' }], opts))).toEqual([]);
    const dated = lineChart([{ name: 'a', values: values(5), color: 'red' }], {
      ...opts,
      xTicks: [{ index: 4, label: '2020-01' }],
    });
    expect(dated).toContain('<text x="620" y="326" text-anchor="middle">2020-01</text>');
  });

  it('takes a layout: size, margins, y precision, stroke width and a legend on the left', () => {
    const svg = lineChart([{ name: 'gold', values: [1.23456, 2], color: '#222' }], {
      ...opts,
      width: 720,
      height: 380,
      margin: { l: 70, r: 20, t: 40, b: 60 },
      yPrecision: 4,
      strokeWidth: 1.8,
      legend: 'left',
    });
    expect(svg).toContain('width="720" height="380"');
    expect(svg).toContain('>1.235</text>');
    expect(svg).toContain('stroke-width="1.8"');
    expect(svg).toContain('<text x="78" y="54" fill="#222">gold</text>');
    expect(points(svg)[0]).toEqual([
      [70, 320],
      [700, 40],
    ]);
  });

  it('ignores non-finite values when scaling and copes with a flat series', () => {
    const svg = lineChart([{ name: 'a', values: [NaN, 5, 5], color: 'red' }], opts);
    expect(points(svg)[0]![1]![1]).toBe(175); // flat series: centred in ±1
  });
});

describe('evenTicks', () => {
  it('picks about `count` evenly spaced labels starting at the first', () => {
    const labels = Array.from({ length: 11 }, (_, i) => `d${i}`);
    expect(evenTicks(labels, 6)).toEqual([0, 2, 4, 6, 8, 10].map((i) => ({ index: i, label: `d${i}` })));
    expect(evenTicks(['x'])).toEqual([{ index: 0, label: 'x' }]);
    expect(evenTicks([])).toEqual([]);
  });
});

describe('heatmap', () => {
  it('draws a cell per entry shaded by its share of the row, with the counts and labels', () => {
    const svg = heatmap(
      [
        [3, 1],
        [0, 4],
      ],
      ['cat', 'dog'],
      'confusion',
    );
    expect(count(svg, /<rect x=/g)).toBe(4);
    expect(svg).toContain('fill="rgb(64,64,255)"'); // 3/4 of row 0
    expect(svg).toContain('fill="rgb(191,191,255)"'); // 1/4
    expect(svg).toContain('fill="rgb(0,0,255)"'); // 4/4
    expect(svg).toContain('fill="rgb(255,255,255)"'); // 0/4
    expect(count(svg, />cat</g)).toBe(2); // row and column label
    expect(svg).toContain('fill="white">4</text>');
  });
});

describe('scatterChart', () => {
  it('draws unlabelled points small and grey, labelled ones red, named and on top', () => {
    const svg = scatterChart(
      [
        { x: 0, y: 0 },
        { x: 1, y: 1, label: 'Toy Story' },
        { x: 0.5, y: 0.2 },
      ],
      { title: 't', xLabel: 'x', yLabel: 'y' },
    );
    expect(count(svg, /r="1.6"/g)).toBe(2);
    expect(count(svg, /r="3.5" fill="#d62728"/g)).toBe(1);
    expect(svg).toContain('<circle cx="880.0" cy="40.0" r="3.5"'); // top right corner of the plot
    expect(svg).toContain('text-anchor="end">Toy Story</text>'); // near the right edge: label to the left
    expect(svg.indexOf('r="3.5"')).toBeGreaterThan(svg.lastIndexOf('r="1.6"'));
  });
});

describe('escapeXml', () => {
  it('escapes markup characters', () => {
    expect(escapeXml('a<b & "c"')).toBe('a&lt;b &amp; &quot;c&quot;');
  });
});
