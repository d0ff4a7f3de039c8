import {
  addDays,
  assertOfferedSlot,
  bookingWindow,
  computeSlots,
  formatIsoWithOffset,
  type RdvType,
  startOfLocalDay,
  type Usager,
} from '../domain/index.ts';
import type { AgendaRdv } from '../realtime/events.ts';
import { findOnlineOffer } from '../store/services.ts';
import { serviceFor } from './agent-access.ts';
import { recordAgentRdv } from './agent-booking.ts';
import type { SignedInAgent } from './auth.ts';
import type { Deps } from './deps.ts';
import { AppError } from './errors.ts';
import { occupation, offerOf } from './offer.ts';
import { type MotifNode, motifTree } from './services.ts';

/*
 * "Prendre RDV — parcours simplifié" (reference §3.2 and §3.3): the citizen's flow inside the
 * agents' space. Only the slots offered for the motif, the service's duration, no forcing. An agent
 * rattaché books through the canal `agentService` (immediate, 60 rolling days), an agent extérieur
 * through `agentExterieur` (from the day after 2 working days, 30 rolling days) and only on the
 * guichets the service opened to agents extérieurs. The rdv records the agent and the canal.
 */

export type SimplifiedOffer = {
  service: { code: string; name: string; timeZone: string; durationMinutes: number };
  canal: 'agentService' | 'agentExterieur';
  rattache: boolean;
  types: RdvType[];
  motifs: MotifNode[];
  /** The first and last local days the canal may book. */
  window: { from: string; to: string };
};

/** What the parcours offers this agent on this service: types, motifs, the booking window. */
export async function simplifiedOffer(
  deps: Pick<Deps, 'sql' | 'clock'>,
  agent: SignedInAgent,
  code: string,
): Promise<SimplifiedOffer> {
  const { service, canal, rattache } = await serviceFor(deps, agent, 'rdv.book', code);
  const channel = canal === 'agentService' ? 'agentService' : 'agentExterieur';
  const offer = service.active
    ? await findOnlineOffer(deps.sql, service.id, channel)
    : { physique: false, telephone: false, motifs: [] };
  const tz = service.timeZone;
  const window = bookingWindow(channel, deps.clock.now().getTime(), {
    timeZone: tz,
    holidayCalendar: service.holidayCalendar,
    durationMinutes: service.rdvDurationMinutes,
  });
  return {
    service: {
      code: service.codePrincipal,
      name: service.name,
      timeZone: tz,
      durationMinutes: service.rdvDurationMinutes,
    },
    canal: channel,
    rattache,
    types: [
      ...(offer.physique ? ['physique' as const] : []),
      ...(offer.telephone ? ['telephone' as const] : []),
    ],
    motifs: motifTree(offer.motifs),
    window: {
      from: formatIsoWithOffset(window.start, tz).slice(0, 10),
      to: formatIsoWithOffset(window.end - 1, tz).slice(0, 10),
    },
  };
}

/** The free slots of the parcours, through the agent's canal. */
export async function simplifiedSlots(
  deps: Deps,
  agent: SignedInAgent,
  code: string,
  q: { motifId: number; type: RdvType; from: string; to: string },
): Promise<{ days: { date: string; slots: { start: string; end: string }[] }[] }> {
  const { service, canal } = await serviceFor(deps, agent, 'rdv.book', code);
  if (q.to < q.from)
    throw new AppError('VALIDATION_FAILED', 'La date de fin précède la date de début.', {
      errors: [{ field: 'to', message: 'doit suivre from' }],
    });
  const offer = await offerOf(deps, code);
  if (!offer.active) return { days: [] };
  const tz = service.timeZone;
  const now = deps.clock.now().getTime();
  const window = bookingWindow(canal, now, offer.rules);
  const to = [q.to, addDays(q.from, 62)].sort()[0]!;
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
    canal,
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

/** Books an offered slot of the parcours; 409 when it was taken meanwhile. */
export async function bookSimplified(
  deps: Deps,
  agent: SignedInAgent,
  code: string,
  req: { motifId: number; type: RdvType; start: number; usager: Usager; precisions: string },
): Promise<AgendaRdv> {
  const { service, canal } = await serviceFor(deps, agent, 'rdv.book', code);
  const offer = await offerOf(deps, code);
  const duration = offer.rules.durationMinutes * 60_000;
  const { busy, fermetures } = await occupation(deps, offer, { start: req.start, end: req.start + duration });
  const now = deps.clock.now();
  const slot = assertOfferedSlot(
    {
      rules: offer.rules,
      guichets: offer.active ? offer.guichets : [],
      fermetures,
      busy,
      motifId: req.motifId,
      type: req.type,
      canal,
      now: now.getTime(),
    },
    req.start,
  );
  return recordAgentRdv(
    deps,
    agent,
    service,
    {
      guichetId: slot.guichetIds[0]!,
      motifId: req.motifId,
      type: req.type,
      start: slot.start,
      end: slot.end,
      canal,
      usager: req.usager,
      precisions: req.precisions,
    },
    { parcours: 'simplifie' },
    now,
  );
}
