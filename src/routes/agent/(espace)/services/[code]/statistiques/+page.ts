import { loadStatsPage } from '#lib/agent/stats-load.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ fetch, url, params }) => loadStatsPage(fetch, url, params.code);
