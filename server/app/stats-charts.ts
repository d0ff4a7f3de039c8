import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { Stats } from './stats.ts';
import { type ChartSeries, chartSeries, frenchValue, type StatsChart } from './stats-series.ts';

/*
 * The statistics' charts as standalone SVG, drawn on the server by Observable Plot. Plot builds
 * DOM nodes; on the server it is handed linkedom's document (a small DOM without a browser). The
 * agents' pages show each chart as an <img> of this SVG, with its data table beside it.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
// DSFR's blue France, a light orange and a green: apart in hue and in lightness, for stacked parts.
const COLORS = ['#000091', '#E4794A', '#18753C'];
const FONT = 'Arial, Helvetica, sans-serif';

type Doc = ReturnType<typeof parseHTML>['document'];

const tickFormat = (unit: ChartSeries['unit']) =>
  unit === 'pct'
    ? (d: number) => `${Math.round(d * 100)} %`
    : unit === 'rdv'
      ? // A count has no half: fractional ticks go unlabelled.
        (d: number) => (Number.isInteger(d) ? String(d) : '')
      : (d: number) => String(d).replace('.', ',');

/** Fewer period labels when there are many weeks, so that they do not overlap. */
function periodAxis(periods: string[]) {
  if (periods.length <= 12) return { domain: periods, label: null };
  const every = Math.ceil(periods.length / 12);
  return {
    domain: periods,
    label: null,
    ticks: periods.filter((_, i) => i % every === 0),
    tickRotate: -35,
  };
}

function marks(c: ChartSeries): Plot.Markish[] {
  const title = (d: ChartSeries['rows'][number]) =>
    `${d.periodLabel} — ${d.series} : ${frenchValue(d.value, c.unit)}`;
  const rows = c.rows.filter((r) => r.value !== null);
  const empty = rows.every((r) => r.value === 0)
    ? [Plot.text(['Aucune donnée sur la période'], { frameAnchor: 'middle', fontSize: 14 })]
    : [];
  switch (c.form) {
    case 'stack':
      return [
        Plot.barY(rows, { x: 'period', y: 'value', fill: 'series', stroke: 'white', title }),
        Plot.ruleY([0]),
        ...empty,
      ];
    case 'overlay': {
      // The settled contre-appels are a part of those made: drawn inside their bar.
      const [whole, part] = c.series;
      return [
        Plot.barY(
          rows.filter((r) => r.series === whole),
          { x: 'period', y: 'value', fill: 'series', title },
        ),
        Plot.barY(
          rows.filter((r) => r.series === part),
          { x: 'period', y: 'value', fill: 'series', insetLeft: 6, insetRight: 6, title },
        ),
        Plot.ruleY([0]),
        ...empty,
      ];
    }
    case 'rate':
      return [Plot.barY(rows, { x: 'period', y: 'value', fill: 'series', title }), Plot.ruleY([0]), ...empty];
    case 'lines':
      return [
        Plot.lineY(rows, { x: 'period', y: 'value', stroke: 'series', strokeWidth: 2 }),
        Plot.dot(rows, { x: 'period', y: 'value', fill: 'series', r: 4, title }),
        Plot.ruleY([0]),
        ...empty,
      ];
    case 'motifs':
      return [
        Plot.barX(rows, { y: 'period', x: 'value', fill: COLORS[0], title }),
        Plot.text(rows, {
          y: 'period',
          x: 'value',
          text: (d) => String(d.value),
          dx: 4,
          textAnchor: 'start',
        }),
        Plot.ruleX([0]),
        ...empty,
      ];
  }
}

/** A motif's label on the axis, shortened (the table beside it gives the whole label). */
const clip = (s: string) => (s.length > 38 ? `${s.slice(0, 37)}…` : s);

function draw(c: ChartSeries, document: Doc): Element {
  const common = {
    document: document as unknown as Document,
    width: WIDTH,
    ariaLabel: `${c.title}. ${c.summary}`,
    style: { fontSize: '12px', fontFamily: FONT, background: 'white', color: '#161616' },
    color: { domain: c.series, range: COLORS },
    marks: marks(c),
  };
  if (c.form === 'motifs') {
    return Plot.plot({
      ...common,
      height: 50 + 26 * Math.max(c.periods.length, 1),
      marginLeft: 250,
      marginRight: 40,
      y: { domain: c.periods, label: null, tickFormat: clip },
      x: { label: 'RDV pris', grid: true, tickFormat: tickFormat('rdv') },
    }) as unknown as Element;
  }
  const rotated = c.periods.length > 12;
  return Plot.plot({
    ...common,
    height: 320,
    marginTop: 40,
    marginBottom: rotated ? 60 : 30,
    marginLeft: 50,
    x: { type: c.form === 'lines' ? 'point' : 'band', ...periodAxis(c.periods) },
    y: {
      label: c.unit === 'pct' ? 'Taux' : c.unit === 'jours' ? 'Jours' : 'RDV',
      grid: true,
      tickFormat: tickFormat(c.unit),
      zero: true,
    },
  }) as unknown as Element;
}

/** Swatches in the SVG itself (Plot's own legends are HTML, which an <img> of SVG cannot show). */
function legend(svg: Element, document: Doc, series: string[]): void {
  if (series.length < 2) return;
  const g = document.createElementNS(SVG_NS, 'g');
  g.setAttribute('aria-hidden', 'true');
  g.setAttribute('font-size', '12');
  // Right of the y axis' own label ("↑ RDV").
  let x = 100;
  series.forEach((label, i) => {
    const rect = document.createElementNS(SVG_NS, 'rect');
    for (const [k, v] of Object.entries({ x, y: 8, width: 12, height: 12, fill: COLORS[i]! }))
      rect.setAttribute(k, String(v));
    const text = document.createElementNS(SVG_NS, 'text');
    for (const [k, v] of Object.entries({ x: x + 16, y: 18, 'text-anchor': 'start' }))
      text.setAttribute(k, String(v));
    text.textContent = label;
    g.append(rect, text);
    // Arial at 12 px: about 6.5 px a character.
    x += 16 + Math.ceil(label.length * 6.5) + 20;
  });
  svg.append(g);
}

/** The chart `name` of these statistics, as a standalone SVG document (role img, titled). */
export function statsChartSvg(stats: Stats, name: StatsChart): string {
  const { document } = parseHTML('<!doctype html><html lang="fr"><body></body></html>');
  const c = chartSeries(stats, name);
  const svg = draw(c, document);
  svg.setAttribute('xmlns', SVG_NS);
  svg.setAttribute('role', 'img');
  svg.setAttribute('lang', 'fr');
  const title = document.createElementNS(SVG_NS, 'title');
  title.textContent = c.title;
  const desc = document.createElementNS(SVG_NS, 'desc');
  desc.textContent = c.summary;
  svg.prepend(title, desc);
  legend(svg, document, c.series);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg.outerHTML}`;
}
