import { describe, expect, it } from 'vitest';
import {
  apiQuery,
  defaultPeriod,
  frenchNumber,
  periodWords,
  type Stats,
  statsCharts,
  statsCriteria,
} from './stats.ts';

const figures = (n: number): Stats['total'] => ({
  booked: { total: n, internet: n - 1, agentExterieur: 1, agentService: 0, physique: n, telephone: 0 },
  honoured: 3,
  notArrived: 1,
  noShowRate: 0.25,
  cancelled: { total: 2, contreAppel: 1, agent: 1, usager: 0 },
  contreAppels: { made: 2, settled: 1, settledShare: 0.5 },
  occupancy: { bookedMinutes: 1200, offeredMinutes: 21600, rate: 0.0556 },
  leadTimeDays: { mean: 4.43, median: null },
});

describe('statistics criteria', () => {
  it('default to the previous month and the current one', () => {
    expect(defaultPeriod('2026-12-02')).toEqual({ from: '2026-11-01', to: '2026-12-31' });
    expect(defaultPeriod('2027-01-15')).toEqual({ from: '2026-12-01', to: '2027-01-31' });
    expect(defaultPeriod('2028-02-10')).toEqual({ from: '2028-01-01', to: '2028-02-29' });
  });

  it('read du, au and par from the address', () => {
    const { criteria, errors } = statsCriteria(
      new URLSearchParams('du=2026-11-02&au=2026-11-15&par=semaine'),
      '2026-12-02',
    );
    expect(errors).toEqual([]);
    expect(criteria).toEqual({ from: '2026-11-02', to: '2026-11-15', by: 'week' });
    expect(apiQuery(criteria)).toBe('from=2026-11-02&to=2026-11-15&by=week');
    expect(statsCriteria(new URLSearchParams(''), '2026-12-02').criteria.by).toBe('month');
  });

  it('say in French what is wrong with a period', () => {
    const errorsOf = (q: string) => statsCriteria(new URLSearchParams(q), '2026-12-02').errors;
    expect(errorsOf('du=2026-11-15&au=2026-11-02')).toEqual([
      { field: 'au', message: 'La date de fin doit suivre la date de début.' },
    ]);
    expect(errorsOf('du=2025-01-01&au=2026-11-02')[0]?.message).toBe('La période couvre 400 jours au plus.');
    expect(errorsOf('du=hier&au=2026-11-02')[0]).toEqual({
      field: 'du',
      message: 'Indiquez la date de début de la période.',
    });
  });
});

describe('the charts’ data tables', () => {
  const stats: Stats = {
    from: '2026-11-02',
    to: '2026-11-15',
    by: 'week',
    services: [{ code: '5800450', name: 'SIP NEVERS' }],
    buckets: [
      { start: '2026-11-02', label: 'semaine du 02/11/2026', ...figures(4) },
      { start: '2026-11-09', label: 'semaine du 09/11/2026', ...figures(3) },
    ],
    total: figures(7),
    motifs: [
      { id: 1, label: 'Déclarer mes revenus', parent: 'Impôt sur le revenu', booked: 4 },
      { id: 2, label: 'Autre', parent: null, booked: 3 },
    ],
  };
  const charts = statsCharts(stats);

  it('one table per chart of the API, periods then the total', () => {
    expect(charts.map((c) => c.name)).toEqual([
      'canal',
      'type',
      'motifs',
      'presence',
      'annulations',
      'contre-appels',
      'occupation',
      'delai',
      'absence',
    ]);
    const canal = charts[0]!;
    expect(canal.table.columns).toEqual([
      'Période',
      'Par internet',
      'Par des agents extérieurs',
      'Par les agents du service',
      'Total',
    ]);
    expect(canal.table.rows).toEqual([
      ['semaine du 02/11/2026', '3', '1', '0', '4'],
      ['semaine du 09/11/2026', '2', '1', '0', '3'],
      ['Total', '6', '1', '0', '7'],
    ]);
  });

  it('rates in French percentages, missing figures as a dash, motifs with their theme', () => {
    const byName = Object.fromEntries(charts.map((c) => [c.name, c.table]));
    expect(byName.occupation?.rows.at(-1)).toEqual(['Total', '1\u202f200', '21\u202f600', '5,6 %']);
    expect(byName.delai?.rows.at(-1)).toEqual(['Total', '4,43', '—']);
    expect(byName['contre-appels']?.rows.at(-1)).toEqual(['Total', '2', '1', '50 %']);
    expect(byName.absence?.rows.at(-1)).toEqual(['Total', '4', '1', '25 %']);
    expect(byName.motifs?.rows).toEqual([
      ['Impôt sur le revenu — Déclarer mes revenus', '4'],
      ['Autre', '3'],
    ]);
  });

  it('French numbers and the period in words', () => {
    expect(frenchNumber(null)).toBe('—');
    expect(frenchNumber(0.3333, 'pct')).toBe('33,3 %');
    expect(periodWords({ from: '2026-11-02', to: '2026-11-15', by: 'week' })).toBe(
      'du 2 novembre 2026 au 15 novembre 2026, par semaine',
    );
    expect(periodWords({ from: '2026-11-01', to: '2026-11-30', by: 'month' })).toBe(
      'du 1er novembre 2026 au 30 novembre 2026, par mois',
    );
  });
});
