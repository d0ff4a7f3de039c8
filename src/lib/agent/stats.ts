import type { components, paths } from '#lib/api/schema.d.ts';

/*
 * "Voir les statistiques" and "Statistiques consolidées": the criteria in the page's address,
 * and each chart's data table (DSFR asks for one beside every chart), from the API's figures.
 */

export type Stats = components['schemas']['Statistiques'];
type Figures = Stats['total'];
export type ChartName = NonNullable<paths['/api/v1/agent/stats.svg']['get']['parameters']['query']>['chart'];
export type By = Stats['by'];

export type Criteria = { from: string; to: string; by: By };
export type CriteriaField = 'du' | 'au';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (s: string) => DAY.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
const dayNumber = (s: string) => Date.parse(`${s}T00:00:00Z`) / 86_400_000;
/** The API's limit. */
export const MAX_DAYS = 400;

/** The default period: the previous month and the current one, to their last day. */
export function defaultPeriod(today: string): { from: string; to: string } {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const from = m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from, to: `${today.slice(0, 7)}-${String(last).padStart(2, '0')}` };
}

/** The criteria of `?du=&au=&par=semaine|mois`, with the French errors of a wrong period. */
export function statsCriteria(
  params: URLSearchParams,
  today: string,
): { criteria: Criteria; errors: { field: CriteriaField; message: string }[] } {
  const period = defaultPeriod(today);
  const from = params.get('du') ?? period.from;
  const to = params.get('au') ?? period.to;
  const by: By = params.get('par') === 'semaine' ? 'week' : 'month';
  const errors: { field: CriteriaField; message: string }[] = [];
  if (!isDay(from)) errors.push({ field: 'du', message: 'Indiquez la date de début de la période.' });
  if (!isDay(to)) errors.push({ field: 'au', message: 'Indiquez la date de fin de la période.' });
  if (errors.length === 0 && to < from)
    errors.push({ field: 'au', message: 'La date de fin doit suivre la date de début.' });
  else if (errors.length === 0 && dayNumber(to) - dayNumber(from) > MAX_DAYS)
    errors.push({ field: 'au', message: `La période couvre ${MAX_DAYS} jours au plus.` });
  return { criteria: { from, to, by }, errors };
}

/** The API's query string for these criteria (JSON, CSV and SVG take the same). */
export const apiQuery = (c: Criteria) => new URLSearchParams({ from: c.from, to: c.to, by: c.by }).toString();

/** "1 234", "4,5", "25 %" (a rate is a share of 1), "—" when there is nothing to divide. */
export function frenchNumber(n: number | null, unit: 'n' | 'pct' = 'n'): string {
  if (n === null) return '—';
  if (unit === 'pct') return `${String(Math.round(n * 1000) / 10).replace('.', ',')} %`;
  return (Math.round(n * 100) / 100).toLocaleString('fr-FR');
}

export type StatsTable = { columns: string[]; rows: string[][] };
export type Chart = { name: ChartName; title: string; table: StatsTable };

type Column = { label: string; value: (f: Figures) => string };
const n = (get: (f: Figures) => number | null) => (f: Figures) => frenchNumber(get(f));
const pct = (get: (f: Figures) => number | null) => (f: Figures) => frenchNumber(get(f), 'pct');

/** Each chart's title (the same as the SVG's) and the columns of its table, period by period. */
const PERIOD_CHARTS: { name: Exclude<ChartName, 'motifs'>; title: string; columns: Column[] }[] = [
  {
    name: 'canal',
    title: 'RDV pris par canal',
    columns: [
      { label: 'Par internet', value: n((f) => f.booked.internet) },
      { label: 'Par des agents extérieurs', value: n((f) => f.booked.agentExterieur) },
      { label: 'Par les agents du service', value: n((f) => f.booked.agentService) },
      { label: 'Total', value: n((f) => f.booked.total) },
    ],
  },
  {
    name: 'type',
    title: 'RDV pris par type',
    columns: [
      { label: 'Au guichet', value: n((f) => f.booked.physique) },
      { label: 'Par téléphone', value: n((f) => f.booked.telephone) },
      { label: 'Total', value: n((f) => f.booked.total) },
    ],
  },
  {
    name: 'presence',
    title: 'RDV honorés et non honorés',
    columns: [
      { label: 'Honorés', value: n((f) => f.honoured) },
      { label: 'Non honorés', value: n((f) => f.notArrived) },
    ],
  },
  {
    name: 'annulations',
    title: 'RDV annulés, selon l’origine',
    columns: [
      { label: 'Après contre-appel', value: n((f) => f.cancelled.contreAppel) },
      { label: 'Par le service', value: n((f) => f.cancelled.agent) },
      { label: 'Par l’usager', value: n((f) => f.cancelled.usager) },
      { label: 'Total', value: n((f) => f.cancelled.total) },
    ],
  },
  {
    name: 'contre-appels',
    title: 'Contre-appels et demandes réglées sans déplacement',
    columns: [
      { label: 'Contre-appels', value: n((f) => f.contreAppels.made) },
      { label: 'Réglés sans déplacement', value: n((f) => f.contreAppels.settled) },
      { label: 'Part réglée sans déplacement', value: pct((f) => f.contreAppels.settledShare) },
    ],
  },
  {
    name: 'occupation',
    title: 'Taux d’occupation des guichets',
    columns: [
      { label: 'Minutes réservées', value: n((f) => f.occupancy.bookedMinutes) },
      { label: 'Minutes offertes', value: n((f) => f.occupancy.offeredMinutes) },
      { label: 'Taux d’occupation', value: pct((f) => f.occupancy.rate) },
    ],
  },
  {
    name: 'delai',
    title: 'Délai entre la prise du RDV et le RDV',
    columns: [
      { label: 'Délai moyen (jours)', value: n((f) => f.leadTimeDays.mean) },
      { label: 'Délai médian (jours)', value: n((f) => f.leadTimeDays.median) },
    ],
  },
  {
    name: 'absence',
    title: 'Taux d’absence (RDV non honorés)',
    columns: [
      { label: 'RDV passés', value: n((f) => f.honoured + f.notArrived) },
      { label: 'Non honorés', value: n((f) => f.notArrived) },
      { label: 'Taux d’absence', value: pct((f) => f.noShowRate) },
    ],
  },
];

/** Every chart of the page, in order, each with its table (a "Total" row closes the periods). */
export function statsCharts(stats: Stats): Chart[] {
  const charts: Chart[] = PERIOD_CHARTS.map((c) => ({
    name: c.name,
    title: c.title,
    table: {
      columns: ['Période', ...c.columns.map((col) => col.label)],
      rows: [
        ...stats.buckets.map((b) => [b.label, ...c.columns.map((col) => col.value(b))]),
        ['Total', ...c.columns.map((col) => col.value(stats.total))],
      ],
    },
  }));
  const motifs: Chart = {
    name: 'motifs',
    title: 'RDV pris par motif',
    table: {
      columns: ['Motif', 'RDV pris'],
      rows: stats.motifs.map((m) => [
        m.parent ? `${m.parent} — ${m.label}` : m.label,
        frenchNumber(m.booked),
      ]),
    },
  };
  // By motif after by canal and by type: the three ways of counting the rdvs taken.
  charts.splice(2, 0, motifs);
  return charts;
}

/** The period in words: "du 1er novembre 2026 au 30 novembre 2026, par mois". */
export function periodWords(c: Criteria): string {
  // French writes the first of the month "1er".
  const f = (d: string) =>
    new Date(`${d}T12:00:00Z`)
      .toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
      .replace(/^1 /, '1er ');
  return `du ${f(c.from)} au ${f(c.to)}, ${c.by === 'week' ? 'par semaine' : 'par mois'}`;
}
