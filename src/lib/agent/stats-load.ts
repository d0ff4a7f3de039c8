import { error } from '@sveltejs/kit';
import { ApiError } from '#lib/api/client.ts';
import { localDay } from '#lib/format.ts';
import { statsCriteria } from './stats.ts';
import { loadStats } from './stats-api.ts';

/**
 * The load of both statistics pages: the criteria of the address, then the figures; a period the
 * API refuses shows its French message beside the form, a refused service the error page.
 */
export async function loadStatsPage(fetch: typeof globalThis.fetch, url: URL, code: string | null) {
  const { criteria, errors } = statsCriteria(url.searchParams, localDay(new Date(), 'Europe/Paris'));
  if (errors.length > 0) return { criteria, errors, stats: null };
  try {
    return { criteria, errors, stats: await loadStats(fetch, url.origin, code, criteria) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 422)
      return {
        criteria,
        errors: [{ field: 'au' as const, message: err.problem?.detail ?? 'Période invalide.' }],
        stats: null,
      };
    if (err instanceof ApiError && (err.status === 403 || err.status === 404))
      error(err.status, {
        message: err.status === 403 ? 'Accès refusé' : 'Service introuvable',
        detail: err.problem?.detail,
      });
    throw err;
  }
}
