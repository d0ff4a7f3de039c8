import { isSiren } from '../../server/domain/identifiers.ts';
import { generateRdvCode } from '../../server/domain/rdv-code.ts';
import { addDays, localDate, parseTime, weekday, zonedTime } from '../../server/domain/time.ts';
import type { Canal, HolidayCalendar, Interval, RdvType } from '../../server/domain/types.ts';
import { postalUpper } from '../../server/domain/voies.ts';
import { isWorkingDay } from '../../server/domain/working-days.ts';
import type { RdvInsert, UsagerInsert } from '../../server/store/demo.ts';
import {
  CANCEL_REASONS,
  CONTRE_APPEL_COMMENTS,
  type DemoGuichet,
  NOMS,
  PRECISIONS,
  PRENOMS_F,
  PRENOMS_M,
  RAISONS_SOCIALES,
} from './demo.ts';

/*
 * The demo's people and agenda, drawn without I/O: the fictional usagers, and rdvs around `now`
 * on the demo guichets (load-demo.ts reads what is already there and writes the result).
 */

const DAY = 86_400_000;
const MINUTE = 60_000;
/** The agenda spans these days before and after today. */
export const WINDOW_PAST_DAYS = 20;
export const WINDOW_FUTURE_DAYS = 30;

export type Rng = () => number;

// Deterministic draws (mulberry32): the same `now` gives the same agenda, which makes demos and
// screenshots reproducible. Rdv codes stay cryptographically random.
export function prng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The generator of the agenda drawn on the day of `now`: one agenda per day. */
export const demoRng = (now: number): Rng => prng(Math.floor(now / DAY));

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const digits = (rng: Rng, n: number): string =>
  Array.from({ length: n }, () => Math.floor(rng() * 10)).join('');

/** A SIREN passing the Luhn check, as real ones do. */
function siren(rng: Rng): string {
  const base = `${1 + Math.floor(rng() * 9)}${digits(rng, 7)}`;
  for (let d = 0; d < 10; d++) {
    if (isSiren(base + d)) return base + d;
  }
  throw new Error('unreachable');
}

export function demoUsagers(rng: Rng, count: number): UsagerInsert[] {
  const usagers: UsagerInsert[] = [];
  const phones = new Set<string>();
  const mobile = () => {
    let p: string;
    do p = `+3363998${digits(rng, 4)}`;
    while (phones.has(p));
    phones.add(p);
    return p;
  };
  for (let i = 0; i < count; i++) {
    const pro = i % 8 === 7;
    const femme = rng() < 0.5;
    const nom = pick(rng, NOMS);
    const prenoms = pick(rng, femme ? PRENOMS_F : PRENOMS_M);
    const marriedName = femme && rng() < 0.3 ? pick(rng, NOMS) : null;
    const telephones = [mobile()];
    if (rng() < 0.3) telephones.push(`+33261910${digits(rng, 3)}`);
    const emailLocal = `${postalUpper(prenoms.split(' ')[0]!)}.${postalUpper(marriedName ?? nom)}`
      .toLowerCase()
      .replace(/ /g, '-');
    const year = 1940 + Math.floor(rng() * 65);
    usagers.push({
      type: pro ? 'professionnel' : 'particulier',
      civilite: femme ? 'MME' : 'M',
      nomUsage: marriedName ?? nom,
      nomNaissance: marriedName ? nom : null,
      prenoms,
      dateNaissance:
        !pro && rng() < 0.6
          ? `${year}-${String(1 + Math.floor(rng() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rng() * 28)).padStart(2, '0')}`
          : null,
      // SPIs start with 0 to 3; the demo's are made up and belong to no one.
      numeroFiscal: !pro && rng() < 0.6 ? `${Math.floor(rng() * 4)}${digits(rng, 12)}` : null,
      siren: pro ? siren(rng) : null,
      raisonSociale: pro ? pick(rng, RAISONS_SOCIALES) : null,
      telephones,
      rappel: rng() < 0.4 ? [pick(rng, ['matin', 'apres-midi'])] : [],
      email: rng() < 0.75 ? `${emailLocal}${i}@${pick(rng, ['example.com', 'example.org'])}` : null,
    });
  }
  return usagers;
}

/** A demo guichet as stored, with what drafting its agenda needs. */
export interface GuichetRef {
  id: number;
  serviceId: number;
  spec: DemoGuichet;
  timeZone: string;
  calendar: HolidayCalendar;
  duration: number;
  motifs: { id: number; code: string }[];
  agentsInside: number[];
  agentsOutside: number[];
}

/** An rdv to insert; its usager is an index into the demo's usagers, whose ids come with their insertion. */
export type RdvDraft = Omit<RdvInsert, 'usagerId'> & { usagerIndex: number };

function precisionsFor(rng: Rng, code: string): string {
  const key =
    Object.keys(PRECISIONS).find((k) => code.startsWith(k)) ?? (code.startsWith('TRESO') ? 'TRESO' : '');
  return pick(rng, PRECISIONS[key] ?? PRECISIONS['SIP-AUTRE']!);
}

/**
 * Fills the guichets' plages from WINDOW_PAST_DAYS before `now` to WINDOW_FUTURE_DAYS after,
 * around `busy` (active rdvs already there, by guichet; extended with the new ones) and with codes
 * outside `takenCodes` (extended too).
 */
export function draftRdvs(
  rng: Rng,
  now: number,
  guichets: readonly GuichetRef[],
  busy: Map<number, Interval[]>,
  usagerCount: number,
  takenCodes: Set<string>,
): RdvDraft[] {
  const drafts: RdvDraft[] = [];
  const code = () => {
    let c: string;
    do c = generateRdvCode();
    while (takenCodes.has(c));
    takenCodes.add(c);
    return c;
  };
  for (const g of guichets) {
    const taken = busy.get(g.id) ?? [];
    const free = (start: number, end: number) => taken.every((b) => b.end <= start || b.start >= end);
    const today = localDate(now, g.timeZone);
    for (let d = -WINDOW_PAST_DAYS; d <= WINDOW_FUTURE_DAYS; d++) {
      const date = addDays(today, d);
      if (!isWorkingDay(date, g.calendar)) continue;
      const wd = weekday(date);
      for (const plage of g.spec.plages) {
        if (!(plage.weekdays as readonly number[]).includes(wd)) continue;
        const plageEnd = parseTime(plage.end);
        for (let m = parseTime(plage.start); m + g.duration <= plageEnd; m += g.duration) {
          if (rng() >= g.spec.fill) continue;
          const type: RdvType = g.spec.types.length > 1 && rng() < 0.3 ? 'telephone' : g.spec.types[0]!;
          // Now and then an agent booked a longer phone rdv (two slots), as in the reference's list.
          const slots = type === 'telephone' && m + 2 * g.duration <= plageEnd && rng() < 0.25 ? 2 : 1;
          const start = zonedTime(date, formatMinutes(m), g.timeZone);
          const end = start + slots * g.duration * MINUTE;
          if (!free(start, end)) continue;
          taken.push({ start, end });

          let canal = pickCanal(rng, g.spec.bookableBy);
          // Internet and external agents book at least two working days ahead; agents of the
          // service also book for the same week. Nothing is created in the future.
          let createdAt = start - (canal === 'agentService' ? rng() * 20 : 3 + rng() * 25) * DAY;
          if (createdAt > now - 3_600_000) createdAt = now - 3_600_000 - rng() * 2 * DAY;
          // Booked too late for the public channels: only the service's own agents could have.
          if (
            canal !== 'agentService' &&
            start - createdAt < 3 * DAY &&
            g.spec.bookableBy.includes('agentService')
          ) {
            canal = 'agentService';
          }
          const createdBy =
            canal === 'agentService'
              ? g.agentsInside.length
                ? pick(rng, g.agentsInside)
                : null
              : canal === 'agentExterieur' && g.agentsOutside.length
                ? pick(rng, g.agentsOutside)
                : null;
          const motif = pick(rng, g.motifs);
          const draft: RdvDraft = {
            code: code(),
            serviceId: g.serviceId,
            guichetId: g.id,
            motifId: motif.id,
            usagerIndex: Math.floor(rng() * usagerCount),
            type,
            start,
            end,
            canal,
            status: 'confirme',
            precisions: precisionsFor(rng, motif.code),
            arrivedAt: null,
            contreAppelDate: null,
            contreAppelComment: null,
            contreAppelAnnulation: null,
            cancelledAt: null,
            cancelReason: null,
            createdBy,
            createdAt,
          };
          const past = end <= now;
          const createdDay = localDate(createdAt, g.timeZone);
          const rdvDay = localDate(start, g.timeZone);
          const lastCallDay = [addDays(rdvDay, -1), today].sort()[0]!;
          if (lastCallDay > createdDay && rng() < 0.15) {
            const callDay = lastCallDay;
            const cancels = rng() < 0.35;
            draft.contreAppelDate = callDay;
            draft.contreAppelAnnulation = cancels;
            draft.contreAppelComment = cancels
              ? CONTRE_APPEL_COMMENTS[1]!
              : pick(
                  rng,
                  CONTRE_APPEL_COMMENTS.filter((_, i) => i !== 1),
                );
            if (cancels) {
              draft.status = 'annule';
              draft.cancelledAt = Math.min(zonedTime(callDay, '10:15', g.timeZone), now - MINUTE);
              draft.cancelReason = 'Annulé suite au contre-appel';
            }
          }
          if (draft.status === 'confirme' && rng() < 0.07) {
            draft.status = 'annule';
            draft.cancelledAt = createdAt + rng() * (Math.min(start, now) - createdAt);
            draft.cancelReason = pick(rng, CANCEL_REASONS);
          }
          if (draft.status === 'annule') {
            // A cancelled rdv frees its slot for someone else.
            taken.pop();
          } else if (past && type === 'physique' && rng() < 0.85) {
            draft.arrivedAt = start - Math.floor(rng() * 12) * MINUTE;
          }
          drafts.push(draft);
        }
      }
    }
  }
  return drafts;
}

function formatMinutes(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function pickCanal(rng: Rng, allowed: readonly Canal[]): Canal {
  const weights: Record<Canal, number> = { internet: 0.5, agentExterieur: 0.15, agentService: 0.35 };
  const total = allowed.reduce((s, c) => s + weights[c], 0);
  let r = rng() * total;
  for (const c of allowed) {
    r -= weights[c];
    if (r < 0) return c;
  }
  return allowed[allowed.length - 1]!;
}
