import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { stringify } from 'csv-stringify/sync';
import type { Deps } from '../../app/deps.ts';
import { consolidatedStats, type Figures, type Stats, serviceStats } from '../../app/stats.ts';
import { statsChartSvg } from '../../app/stats-charts.ts';
import { STATS_CHARTS } from '../../app/stats-series.ts';
import { isLocalDate } from '../../domain/index.ts';
import type { AgentEnv } from '../agent-session.ts';
import { problemResponse, ServiceCode } from '../schemas.ts';

const LocalDay = z.string().refine(isLocalDate, 'Date attendue au format AAAA-MM-JJ.');
const Query = z.object({ from: LocalDay, to: LocalDay, by: z.enum(['week', 'month']).default('month') });
const Rate = z.number().nullable();

const FiguresSchema = z.object({
  booked: z.object({
    total: z.number().int(),
    internet: z.number().int(),
    agentExterieur: z.number().int(),
    agentService: z.number().int(),
    physique: z.number().int(),
    telephone: z.number().int(),
  }),
  honoured: z.number().int(),
  notArrived: z.number().int(),
  noShowRate: Rate,
  cancelled: z.object({
    total: z.number().int(),
    contreAppel: z.number().int(),
    agent: z.number().int(),
    usager: z.number().int(),
  }),
  contreAppels: z.object({ made: z.number().int(), settled: z.number().int(), settledShare: Rate }),
  occupancy: z.object({ bookedMinutes: z.number(), offeredMinutes: z.number(), rate: Rate }),
  leadTimeDays: z.object({ mean: Rate, median: Rate }),
});

const StatsSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    by: z.enum(['week', 'month']),
    services: z.array(z.object({ code: z.string(), name: z.string() })),
    buckets: z.array(FiguresSchema.extend({ start: z.string(), label: z.string() })),
    total: FiguresSchema,
    motifs: z.array(
      z.object({
        id: z.number().int(),
        label: z.string(),
        parent: z.string().nullable(),
        booked: z.number().int(),
      }),
    ),
  })
  .openapi('Statistiques');

const denied = {
  401: problemResponse('Pas de session'),
  403: problemResponse('Réservé au chef de service ou à un administrateur'),
  422: problemResponse('Période invalide'),
};
const jsonAnswer = {
  200: { description: 'Les chiffres', content: { 'application/json': { schema: StatsSchema } } },
  ...denied,
};
const csvAnswer = {
  200: { description: 'Les mêmes chiffres en CSV', content: { 'text/csv': { schema: z.string() } } },
  ...denied,
};
const svgAnswer = {
  200: {
    description: 'Un graphique des mêmes chiffres, en SVG (role="img", titré)',
    content: { 'image/svg+xml': { schema: z.string() } },
  },
  ...denied,
};
const params = z.object({ code: ServiceCode });
const ChartQuery = Query.extend({
  chart: z.enum(STATS_CHARTS, { error: `Graphique : ${STATS_CHARTS.join(', ')}.` }),
});

type Answer = typeof jsonAnswer | typeof csvAnswer | typeof svgAnswer;
type Ext = '' | '.csv' | '.svg';

// The six routes ask one question (a period's figures) of one service or of the whole dashboard,
// answered in JSON, CSV or SVG: only the format's extension, the summary, the query and the
// answer vary.
const ofService = <E extends Ext, Q extends typeof Query | typeof ChartQuery, R extends Answer>(
  ext: E,
  summary: string,
  query: Q,
  responses: R,
) =>
  createRoute({
    method: 'get',
    path: `/agent/services/{code}/stats${ext}`,
    summary,
    request: { params, query },
    responses,
  });
const ofDashboard = <E extends Ext, Q extends typeof Query | typeof ChartQuery, R extends Answer>(
  ext: E,
  summary: string,
  query: Q,
  responses: R,
) => createRoute({ method: 'get', path: `/agent/stats${ext}`, summary, request: { query }, responses });

const serviceJson = ofService('', 'Statistiques d’un service, par semaine ou par mois', Query, jsonAnswer);
const serviceCsv = ofService('.csv', 'Statistiques d’un service en CSV', Query, csvAnswer);
const allJson = ofDashboard(
  '',
  'Statistiques consolidées des services du tableau de bord',
  Query,
  jsonAnswer,
);
const allCsv = ofDashboard('.csv', 'Statistiques consolidées en CSV', Query, csvAnswer);
const serviceSvg = ofService(
  '.svg',
  'Un graphique des statistiques d’un service (SVG dessiné par le serveur)',
  ChartQuery,
  svgAnswer,
);
const allSvg = ofDashboard(
  '.svg',
  'Un graphique des statistiques consolidées (SVG dessiné par le serveur)',
  ChartQuery,
  svgAnswer,
);

const SVG_HEADERS = { 'content-type': 'image/svg+xml; charset=utf-8' };

/** French decimals ("12,5") and percentages, as a spreadsheet in French expects them. */
const dec = (n: number | null) => (n === null ? '' : String(Math.round(n * 100) / 100).replace('.', ','));
const pct = (n: number | null) => (n === null ? '' : `${dec(n * 100)} %`);

const HEADER = [
  'Période',
  'RDV pris',
  'Par internet',
  'Par des agents extérieurs',
  'Par les agents du service',
  'Au guichet',
  'Par téléphone',
  'Honorés',
  'Non honorés',
  'Taux d’absence',
  'Annulés',
  'dont après contre-appel',
  'dont par le service',
  'dont par l’usager',
  'Contre-appels',
  'Réglés sans déplacement',
  'Part réglée sans déplacement',
  'Minutes réservées',
  'Minutes offertes',
  'Taux d’occupation',
  'Délai moyen (jours)',
  'Délai médian (jours)',
];

const row = (label: string, f: Figures) => [
  label,
  f.booked.total,
  f.booked.internet,
  f.booked.agentExterieur,
  f.booked.agentService,
  f.booked.physique,
  f.booked.telephone,
  f.honoured,
  f.notArrived,
  pct(f.noShowRate),
  f.cancelled.total,
  f.cancelled.contreAppel,
  f.cancelled.agent,
  f.cancelled.usager,
  f.contreAppels.made,
  f.contreAppels.settled,
  pct(f.contreAppels.settledShare),
  f.occupancy.bookedMinutes,
  f.occupancy.offeredMinutes,
  pct(f.occupancy.rate),
  dec(f.leadTimeDays.mean),
  dec(f.leadTimeDays.median),
];

function statsCsv(s: Stats): string {
  const records = [...s.buckets.map((b) => row(b.label, b)), row('Total', s.total)].map((r) => r.map(String));
  return stringify(records, {
    delimiter: ';',
    bom: true,
    header: true,
    columns: HEADER,
    escape_formulas: true,
    record_delimiter: 'windows',
  });
}

const csvHeaders = (name: string) => ({
  'content-type': 'text/csv; charset=utf-8',
  'content-disposition': `attachment; filename="${name}"`,
});
const day = (d: string) => d.replaceAll('-', '');

/** "Voir les statistiques" and "Statistiques consolidées", on the agents' router. */
export function registerStats(app: OpenAPIHono<AgentEnv>, deps: Deps): void {
  app.openapi(serviceJson, async (c) =>
    c.json(await serviceStats(deps, c.get('agent'), c.req.valid('param').code, c.req.valid('query')), 200),
  );
  app.openapi(serviceCsv, async (c) => {
    const q = c.req.valid('query');
    const { code } = c.req.valid('param');
    const s = await serviceStats(deps, c.get('agent'), code, q);
    return c.body(
      statsCsv(s),
      200,
      csvHeaders(`statistiques_${code}_${day(q.from)}-${day(q.to)}.csv`),
    ) as never;
  });
  app.openapi(serviceSvg, async (c) => {
    const { chart, ...q } = c.req.valid('query');
    const s = await serviceStats(deps, c.get('agent'), c.req.valid('param').code, q, { shared: true });
    return c.body(statsChartSvg(s, chart), 200, SVG_HEADERS) as never;
  });
  app.openapi(allSvg, async (c) => {
    const { chart, ...q } = c.req.valid('query');
    const s = await consolidatedStats(deps, c.get('agent'), q, { shared: true });
    return c.body(statsChartSvg(s, chart), 200, SVG_HEADERS) as never;
  });
  app.openapi(allJson, async (c) =>
    c.json(await consolidatedStats(deps, c.get('agent'), c.req.valid('query')), 200),
  );
  app.openapi(allCsv, async (c) => {
    const q = c.req.valid('query');
    const s = await consolidatedStats(deps, c.get('agent'), q);
    return c.body(
      statsCsv(s),
      200,
      csvHeaders(`statistiques_consolidees_${day(q.from)}-${day(q.to)}.csv`),
    ) as never;
  });
}
