import { describe, expect, it } from 'vitest';
import type { Figures, Stats } from './stats.ts';
import { chartSeries, frenchValue, shortPeriod } from './stats-series.ts';

const f = (internet: number, rate: number | null): Figures => ({
  booked: {
    total: internet + 1,
    internet,
    agentExterieur: 1,
    agentService: 0,
    physique: internet,
    telephone: 1,
  },
  honoured: 1,
  notArrived: 1,
  noShowRate: rate,
  cancelled: { total: 0, contreAppel: 0, agent: 0, usager: 0 },
  contreAppels: { made: 0, settled: 0, settledShare: null },
  occupancy: { bookedMinutes: 0, offeredMinutes: 0, rate: null },
  leadTimeDays: { mean: 2.5, median: 2 },
});
const stats: Stats = {
  from: '2026-11-02',
  to: '2026-11-15',
  by: 'week',
  services: [],
  buckets: [
    { start: '2026-11-02', label: 'semaine du 02/11/2026', ...f(2, 0.5) },
    { start: '2026-11-09', label: 'semaine du 09/11/2026', ...f(0, null) },
  ],
  total: f(2, 0.5),
  motifs: [{ id: 1, label: 'Déclarer', parent: 'Impôt sur le revenu', booked: 3 }],
};

describe('the charts’ series', () => {
  it('one row per period and series, with the JSON’s figures', () => {
    const canal = chartSeries(stats, 'canal');
    expect(canal.periods).toEqual(['02/11/26', '09/11/26']);
    expect(canal.rows.filter((r) => r.series === 'Par internet').map((r) => r.value)).toEqual([2, 0]);
    expect(canal.summary).toBe(
      'Sur toute la période — Par internet : 2 ; Par des agents extérieurs : 1 ; Par les agents du service : 0.',
    );
    expect(chartSeries(stats, 'absence').rows.map((r) => r.value)).toEqual([0.5, null]);
    expect(chartSeries(stats, 'motifs').rows).toEqual([
      { period: 'Déclarer', periodLabel: 'Impôt sur le revenu — Déclarer', series: 'RDV pris', value: 3 },
    ]);
  });

  it('French labels and values', () => {
    expect(shortPeriod('2026-11-01', 'month')).toBe('nov. 2026');
    expect(frenchValue(0.0556, 'pct')).toBe('5,6 %');
    expect(frenchValue(2.5, 'jours')).toBe('2,5 jours');
    expect(frenchValue(1, 'jours')).toBe('1 jour');
    expect(frenchValue(null, 'rdv')).toBe('sans objet');
  });
});
