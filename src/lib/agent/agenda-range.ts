import { addDays } from '#lib/format.ts';
import type { AgendaRange } from './agenda-sync.ts';

export type AgendaView = 'day' | 'week';

/** How the agenda's address names the views. */
export const VIEW_PARAM: Record<AgendaView, string> = { day: 'jour', week: 'semaine' };

const isDay = (s: string | null): s is string =>
  !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** The Monday of a day's week. */
export function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, weekday === 0 ? -6 : 1 - weekday);
}

/** What the agenda's address asks for: `?date=YYYY-MM-DD&vue=jour|semaine`, today by default. */
export function agendaQuery(params: URLSearchParams, today: string) {
  const date = isDay(params.get('date')) ? (params.get('date') as string) : today;
  const view: AgendaView = params.get('vue') === VIEW_PARAM.week ? 'week' : 'day';
  return { date, view, range: rangeOf(date, view) };
}

export function rangeOf(date: string, view: AgendaView): AgendaRange {
  if (view === 'day') return { from: date, to: date };
  const from = mondayOf(date);
  return { from, to: addDays(from, 6) };
}

/** The day shown one step before or after (a day, or a week). */
export const step = (date: string, view: AgendaView, n: -1 | 1) => addDays(date, view === 'week' ? 7 * n : n);

export function agendaHref(code: string, date: string, view: AgendaView): string {
  return `/agent/services/${code}/agenda?date=${date}&vue=${VIEW_PARAM[view]}`;
}
