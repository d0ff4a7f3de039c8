import {
  addDays,
  bookingWindow,
  computeSlots,
  formatIsoWithOffset,
  type RdvType,
  startOfLocalDay,
} from '../domain/index.ts';
import type { Deps } from './deps.ts';
import { AppError } from './errors.ts';
import { occupation, offerOf } from './offer.ts';

const MAX_RANGE_DAYS = 62;

export type SlotsAnswer = { days: { date: string; slots: { start: string; end: string }[] }[] };

/** Free slots offered online for a motif and a type, aggregated over guichets, clipped to the window. */
export async function listSlots(
  deps: Deps,
  q: { serviceCode: string; motifId: number; type: RdvType; from: string; to: string },
): Promise<SlotsAnswer> {
  if (q.to < q.from)
    throw new AppError('VALIDATION_FAILED', 'La date de fin précède la date de début.', {
      errors: [{ field: 'to', message: 'doit suivre from' }],
    });
  const offer = await offerOf(deps, q.serviceCode);
  if (!offer.active) return { days: [] };
  const tz = offer.rules.timeZone;
  const now = deps.clock.now().getTime();
  const window = bookingWindow('internet', now, offer.rules);
  // ISO dates order as strings: the earlier of `to` and the longest range allowed.
  const to = [q.to, addDays(q.from, MAX_RANGE_DAYS)].sort()[0]!;
  const start = Math.max(window.start, startOfLocalDay(q.from, tz));
  const end = Math.min(window.end, startOfLocalDay(addDays(to, 1), tz));
  if (start >= end) return { days: [] };
  const { busy, fermetures } = await occupation(deps, offer, { start, end });
  const result = computeSlots({
    rules: offer.rules,
    guichets: offer.guichets,
    fermetures,
    busy,
    motifId: q.motifId,
    type: q.type,
    canal: 'internet',
    from: q.from,
    to,
    now,
  });
  return {
    days: result.days.map((d) => ({
      date: d.date,
      slots: d.slots.map((s) => ({
        start: formatIsoWithOffset(s.start, tz),
        end: formatIsoWithOffset(s.end, tz),
      })),
    })),
  };
}
