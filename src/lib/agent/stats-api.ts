import { createPaths, unwrap } from '#lib/api/client.ts';
import type { paths } from '#lib/api/schema.d.ts';
import { apiQuery, type ChartName, type Criteria } from './stats.ts';

type Fetch = typeof globalThis.fetch;

/** The figures of one service (`code`) or, without a code, the consolidated ones. */
export function loadStats(fetch: Fetch, origin: string, code: string | null, c: Criteria) {
  const api = createPaths(fetch, origin);
  const query = { from: c.from, to: c.to, by: c.by };
  return code
    ? unwrap(api.GET('/api/v1/agent/services/{code}/stats', { params: { path: { code }, query } }), false)
    : unwrap(api.GET('/api/v1/agent/stats', { params: { query } }), false);
}

const SERVICE_CSV = '/api/v1/agent/services/{code}/stats.csv' satisfies keyof paths;
const SERVICE_SVG = '/api/v1/agent/services/{code}/stats.svg' satisfies keyof paths;
const ALL_CSV = '/api/v1/agent/stats.csv' satisfies keyof paths;
const ALL_SVG = '/api/v1/agent/stats.svg' satisfies keyof paths;

const at = (template: string, code: string | null) =>
  code ? template.replace('{code}', encodeURIComponent(code)) : template;

/** "Exporter en CSV": the same figures, as the API serves them (a download). */
export const csvUrl = (code: string | null, c: Criteria) =>
  `${at(code ? SERVICE_CSV : ALL_CSV, code)}?${apiQuery(c)}`;

/** A chart drawn by the server, for an <img> (the page's CSP allows images of its own origin). */
export const svgUrl = (code: string | null, c: Criteria, chart: ChartName) =>
  `${at(code ? SERVICE_SVG : ALL_SVG, code)}?${apiQuery(c)}&chart=${chart}`;
