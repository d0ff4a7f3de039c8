import { requireRattache } from '#lib/agent/access.ts';
import { agendaQuery } from '#lib/agent/agenda-range.ts';
import { localDay, PARIS } from '#lib/format.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, parent, url }) => {
  requireRattache((await parent()).me, params.code);
  // Paris' today until the agenda says the office's own (an overseas office may be a day apart).
  return { code: params.code, ...agendaQuery(url.searchParams, localDay(new Date(), PARIS)) };
};
