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
  const { tz, compute } = await freeSlots(deps, q);
  return {
    days: compute().map((d) => ({
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
  const { tz, inputs, compute } = await freeSlots(deps, q);
  if (!inputs) return serialise(tz, compute());
  const key = `${q.serviceCode}|${q.motifId}|${q.type}|${q.from}|${q.to}`;
  const known = answerMemo.get(key);
  if (known && sameInputs(known.inputs, inputs)) return known.json;
  const json = serialise(tz, compute());
  if (answerMemo.size >= ANSWER_MEMO_MAX) answerMemo.clear();
  answerMemo.set(key, { inputs, json });
  return json;
}

function serialise(tz: string, days: SlotDay[]): string {
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

/**
 * What an internet listing's answer is a function of, besides the query: the service's cached
 * offer and cached occupation (the very objects: both caches give a new one after any change),
 * the live holds, and the booking window (whole days for this canal, so `now` enters only
 * through it). Identical inputs give the identical answer, which is served again instead of being
 * computed and written again: while a service's slots do not change, its citizens all ask for the
 * same month.
 */
type ListingInputs = { offer: object; stored: object; held: string; window: string };

const sameInputs = (a: ListingInputs, b: ListingInputs) =>
  a.offer === b.offer && a.stored === b.stored && a.held === b.held && a.window === b.window;

const ANSWER_MEMO_MAX = 1_000;
const answerMemo = new Map<string, { inputs: ListingInputs; json: string }>();

/** A listing about to be computed: its inputs when they can be compared, and the computation. */
type Listing = { tz: string; inputs?: ListingInputs; compute: () => SlotDay[] };
const nothing = () => [];

async function freeSlots(deps: Deps, q: SlotsQuery): Promise<Listing> {
  if (q.to < q.from)
    throw new AppError('VALIDATION_FAILED', 'La date de fin précède la date de début.', {
      errors: [{ field: 'to', message: 'doit suivre from' }],
    });
  const offer = await offerOf(deps, q.serviceCode);
  const tz = offer.rules.timeZone;
  if (!offer.active) return { tz, compute: nothing };
  const now = deps.clock.now().getTime();
  const window = bookingWindow('internet', now, offer.rules);
  // ISO dates order as strings: the earlier of `to` and the longest range allowed.
  const to = [q.to, addDays(q.from, MAX_RANGE_DAYS)].sort()[0]!;
  const start = Math.max(window.start, startOfLocalDay(q.from, tz));
  const end = Math.min(window.end, startOfLocalDay(addDays(to, 1), tz));
  if (start >= end) return { tz, compute: nothing };
  const { stored, held } = await listingOccupation(deps, offer, { start, end });
  const inputs: ListingInputs = {
    offer,
    stored,
    held: held
      .map((h) => h.id)
      .sort()
      .join(','),
    window: `${window.start}-${window.end}`,
  };
  const compute = () =>
    computeSlots({
      rules: offer.rules,
      guichets: offer.guichets,
      fermetures: stored.fermetures,
      busy: held.length ? [...stored.busy, ...held] : stored.busy,
      motifId: q.motifId,
      type: q.type,
      canal: 'internet',
      from: q.from,
      to,
      now,
    }).days;
  return { tz, inputs, compute };
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
