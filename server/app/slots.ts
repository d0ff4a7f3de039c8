import {
  addDays,
  bookingWindow,
  computeSlots,
  formatIsoWithOffset,
  type RdvType,
  type SlotDay,
  startOfLocalDay,
} from '../domain/index.ts';
import type { Deps } from './deps.ts';
import { AppError } from './errors.ts';
import { listingOccupation, offerOf } from './offer.ts';

const MAX_RANGE_DAYS = 62;

export type SlotsAnswer = { days: { date: string; slots: { start: string; end: string }[] }[] };
type SlotsQuery = { serviceCode: string; motifId: number; type: RdvType; from: string; to: string };

/** Free slots offered online for a motif and a type, aggregated over guichets, clipped to the window. */
export async function listSlots(deps: Deps, q: SlotsQuery): Promise<SlotsAnswer> {
  const { tz, days } = await freeSlots(deps, q);
  return {
    days: days.map((d) => ({
      date: d.date,
      slots: d.slots.map((s) => ({ start: isoOf(s.start, tz), end: isoOf(s.end, tz) })),
    })),
  };
}

/**
 * The same answer, already serialised: a month of slots is a few hundred objects that the route
 * would build and JSON.stringify walk again, the largest share of a listing's cost. Dates and
 * RFC 3339 instants need no escaping.
 */
export async function listSlotsJson(deps: Deps, q: SlotsQuery): Promise<string> {
  const { tz, days } = await freeSlots(deps, q);
  let json = '{"days":[';
  for (let i = 0; i < days.length; i++) {
    const d = days[i]!;
    json += `${i ? ',' : ''}{"date":"${d.date}","slots":[`;
    for (let j = 0; j < d.slots.length; j++) {
      const s = d.slots[j]!;
      json += `${j ? ',' : ''}{"start":"${isoOf(s.start, tz)}","end":"${isoOf(s.end, tz)}"}`;
    }
    json += ']}';
  }
  return `${json}]}`;
}

async function freeSlots(deps: Deps, q: SlotsQuery): Promise<{ tz: string; days: SlotDay[] }> {
  if (q.to < q.from)
    throw new AppError('VALIDATION_FAILED', 'La date de fin précède la date de début.', {
      errors: [{ field: 'to', message: 'doit suivre from' }],
    });
  const offer = await offerOf(deps, q.serviceCode);
  const tz = offer.rules.timeZone;
  if (!offer.active) return { tz, days: [] };
  const now = deps.clock.now().getTime();
  const window = bookingWindow('internet', now, offer.rules);
  // ISO dates order as strings: the earlier of `to` and the longest range allowed.
  const to = [q.to, addDays(q.from, MAX_RANGE_DAYS)].sort()[0]!;
  const start = Math.max(window.start, startOfLocalDay(q.from, tz));
  const end = Math.min(window.end, startOfLocalDay(addDays(to, 1), tz));
  if (start >= end) return { tz, days: [] };
  const { busy, fermetures } = await listingOccupation(deps, offer, { start, end });
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
  return { tz, days: result.days };
}

// The same instants come back in every listing of a service: each is formatted once. Bounded,
// and emptied when full.
const ISO_MEMO_MAX = 100_000;
const isoMemo = new Map<string, Map<number, string>>();
let isoMemoSize = 0;

function isoOf(ms: number, tz: string): string {
  let zone = isoMemo.get(tz);
  const known = zone?.get(ms);
  if (known !== undefined) return known;
  if (isoMemoSize >= ISO_MEMO_MAX) {
    isoMemo.clear();
    isoMemoSize = 0;
    zone = undefined;
  }
  if (!zone) {
    zone = new Map();
    isoMemo.set(tz, zone);
  }
  const iso = formatIsoWithOffset(ms, tz);
  zone.set(ms, iso);
  isoMemoSize++;
  return iso;
}
