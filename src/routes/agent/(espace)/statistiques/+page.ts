import { loadStatsPage } from '#lib/agent/stats-load.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ fetch, url }) => loadStatsPage(fetch, url, null);
