import type { Figures, Stats } from './stats.ts';

/*
 * The charts of "Voir les statistiques": which figures each one draws, in which words. Pure (no
 * DOM): the SVG module draws these rows, and the tests compare them with the JSON's figures.
 */

export const STATS_CHARTS = [
  'canal',
  'type',
  'motifs',
  'presence',
  'annulations',
  'contre-appels',
  'occupation',
  'delai',
  'absence',
] as const;
export type StatsChart = (typeof STATS_CHARTS)[number];

/** How a chart draws its series: stacked parts of a whole, a part over its whole, lines, one bar. */
export type ChartForm = 'stack' | 'overlay' | 'lines' | 'rate' | 'motifs';
export type ChartUnit = 'rdv' | 'pct' | 'jours';

export type ChartRow = { period: string; periodLabel: string; series: string; value: number | null };
export type ChartSeries = {
  name: StatsChart;
  title: string;
  form: ChartForm;
  unit: ChartUnit;
  /** The series in drawing order (legend order). */
  series: string[];
  /** The periods in order (the x domain): their short labels. */
  periods: string[];
  rows: ChartRow[];
  /** One sentence for screen readers: the totals of the period. */
  summary: string;
};

type Def = {
  title: string;
  form: ChartForm;
  unit: ChartUnit;
  series: { label: string; value: (f: Figures) => number | null }[];
};

const DEFS: Record<Exclude<StatsChart, 'motifs'>, Def> = {
  canal: {
    title: 'RDV pris par canal',
    form: 'stack',
    unit: 'rdv',
    series: [
      { label: 'Par internet', value: (f) => f.booked.internet },
      { label: 'Par des agents extérieurs', value: (f) => f.booked.agentExterieur },
      { label: 'Par les agents du service', value: (f) => f.booked.agentService },
    ],
  },
  type: {
    title: 'RDV pris par type',
    form: 'stack',
    unit: 'rdv',
    series: [
      { label: 'Au guichet', value: (f) => f.booked.physique },
      { label: 'Par téléphone', value: (f) => f.booked.telephone },
    ],
  },
  presence: {
    title: 'RDV honorés et non honorés',
    form: 'stack',
    unit: 'rdv',
    series: [
      { label: 'Honorés', value: (f) => f.honoured },
      { label: 'Non honorés', value: (f) => f.notArrived },
    ],
  },
  annulations: {
    title: 'RDV annulés, selon l’origine',
    form: 'stack',
    unit: 'rdv',
    series: [
      { label: 'Après contre-appel', value: (f) => f.cancelled.contreAppel },
      { label: 'Par le service', value: (f) => f.cancelled.agent },
      { label: 'Par l’usager', value: (f) => f.cancelled.usager },
    ],
  },
  'contre-appels': {
    title: 'Contre-appels et demandes réglées sans déplacement',
    form: 'overlay',
    unit: 'rdv',
    series: [
      { label: 'Contre-appels', value: (f) => f.contreAppels.made },
      { label: 'Réglés sans déplacement', value: (f) => f.contreAppels.settled },
    ],
  },
  occupation: {
    title: 'Taux d’occupation des guichets',
    form: 'rate',
    unit: 'pct',
    series: [{ label: 'Taux d’occupation', value: (f) => f.occupancy.rate }],
  },
  delai: {
    title: 'Délai entre la prise du RDV et le RDV',
    form: 'lines',
    unit: 'jours',
    series: [
      { label: 'Délai moyen', value: (f) => f.leadTimeDays.mean },
      { label: 'Délai médian', value: (f) => f.leadTimeDays.median },
    ],
  },
  absence: {
    title: 'Taux d’absence (RDV non honorés)',
    form: 'rate',
    unit: 'pct',
    series: [{ label: 'Taux d’absence', value: (f) => f.noShowRate }],
  },
};

const SHORT_MONTHS = [
  'janv.',
  'févr.',
  'mars',
  'avr.',
  'mai',
  'juin',
  'juil.',
  'août',
  'sept.',
  'oct.',
  'nov.',
  'déc.',
];

/** The axis label of a period: "02/11/26" for a week (a year may hold the same day twice), "nov. 2026". */
export function shortPeriod(start: string, by: 'week' | 'month'): string {
  if (by === 'month') return `${SHORT_MONTHS[Number(start.slice(5, 7)) - 1]} ${start.slice(0, 4)}`;
  return `${start.slice(8, 10)}/${start.slice(5, 7)}/${start.slice(2, 4)}`;
}

/** A figure in French: "12", "4,5", "25 %" (a rate is a share of 1), "4,5 jours". */
export function frenchValue(value: number | null, unit: ChartUnit): string {
  if (value === null) return 'sans objet';
  const n = unit === 'pct' ? Math.round(value * 1000) / 10 : Math.round(value * 100) / 100;
  const text = String(n).replace('.', ',');
  if (unit === 'pct') return `${text} %`;
  if (unit === 'jours') return `${text} jour${Math.abs(n) >= 2 ? 's' : ''}`;
  return text;
}

export function chartSeries(stats: Stats, name: StatsChart): ChartSeries {
  const periods = stats.buckets.map((b) => shortPeriod(b.start, stats.by));
  if (name === 'motifs') {
    const rows = stats.motifs.map((m) => ({
      period: m.label,
      periodLabel: m.parent ? `${m.parent} — ${m.label}` : m.label,
      series: 'RDV pris',
      value: m.booked,
    }));
    const total = stats.motifs.reduce((a, m) => a + m.booked, 0);
    return {
      name,
      title: 'RDV pris par motif',
      form: 'motifs',
      unit: 'rdv',
      series: ['RDV pris'],
      periods: rows.map((r) => r.period),
      rows,
      summary: `${total} RDV pris sur la période, pour ${rows.length} motif${rows.length > 1 ? 's' : ''}.`,
    };
  }
  const def = DEFS[name];
  const rows: ChartRow[] = [];
  stats.buckets.forEach((b, i) => {
    for (const s of def.series)
      rows.push({ period: periods[i]!, periodLabel: b.label, series: s.label, value: s.value(b) });
  });
  const totals = def.series.map((s) => `${s.label} : ${frenchValue(s.value(stats.total), def.unit)}`);
  return {
    name,
    title: def.title,
    form: def.form,
    unit: def.unit,
    series: def.series.map((s) => s.label),
    periods,
    rows,
    summary: `Sur toute la période — ${totals.join(' ; ')}.`,
  };
}
