import {
  DomainError,
  findOfferedSlot,
  formatIsoWithOffset,
  type RdvType,
  startOfLocalDay,
} from '../domain/index.ts';
import type { Hold } from '../infra/holds.ts';
import type { SlotEvent } from '../realtime/events.ts';
import { findServiceByCode } from '../store/services.ts';
import type { Deps } from './deps.ts';
import { notFound } from './errors.ts';
import { occupation, offerOf } from './offer.ts';

export const slotEvent = (
  h: Pick<Hold, 'serviceCode' | 'start' | 'end' | 'type'>,
  tz: string,
): SlotEvent => ({
  serviceCode: h.serviceCode,
  start: formatIsoWithOffset(h.start, tz),
  end: formatIsoWithOffset(h.end, tz),
  type: h.type,
});

export type HoldAnswer = { holdId: string; start: string; end: string; expiresAt: string };

/**
 * Keeps an offered slot for the usager; the server picks a free guichet. `owner` names the browser
 * (an httpOnly cookie): it alone may give the hold back, and it keeps one hold at a time.
 */
export async function placeHold(
  deps: Deps,
  input: { serviceCode: string; motifId: number; type: RdvType; start: number; owner: string },
): Promise<HoldAnswer> {
  const offer = await offerOf(deps, input.serviceCode);
  const tz = offer.rules.timeZone;
  const now = deps.clock.now().getTime();
  const unavailable = () =>
    new DomainError('SLOT_UNAVAILABLE', 'Ce créneau n’est plus disponible. Choisissez un autre horaire.');
  if (!offer.active) throw unavailable();
  const day = startOfLocalDay(formatIsoWithOffset(input.start, tz).slice(0, 10), tz);
  const { busy, fermetures } = await occupation(deps, offer, { start: day, end: day + 2 * 86_400_000 });
  const query = {
    rules: offer.rules,
    guichets: offer.guichets,
    fermetures,
    busy,
    motifId: input.motifId,
    type: input.type,
    canal: 'internet' as const,
    now,
  };
  const slot = findOfferedSlot(query, input.start);
  if (!slot) throw unavailable();
  const ttlMs = deps.config.holdTtlSeconds * 1000;
  for (const guichetId of slot.guichetIds) {
    const placed = await deps.holds.place(
      {
        serviceId: offer.serviceId,
        serviceCode: offer.serviceCode,
        guichetId,
        motifId: input.motifId,
        type: input.type,
        start: slot.start,
        end: slot.end,
        owner: input.owner,
      },
      ttlMs,
    );
    if (!placed) continue;
    const { hold, previous } = placed;
    // One active hold per browser (the store recorded this one as it placed it): the previous one
    // goes back to everybody.
    if (previous && previous !== hold.id) await releaseHold(deps, previous, input.owner).catch(() => {});
    deps.metrics.holds.inc({ event: 'posee' });
    const event = slotEvent(hold, tz);
    deps.events.slotTaken(event);
    deps.events.agent(offer.serviceCode, 'hold-placed', { ...event, holdId: hold.id, guichetId });
    return {
      holdId: hold.id,
      start: event.start,
      end: event.end,
      expiresAt: formatIsoWithOffset(hold.expiresAt, tz),
    };
  }
  throw unavailable();
}

/**
 * Gives a held slot back (the usager changed his mind) and announces it at once. Only the browser
 * that placed it may: to anyone else the hold does not exist (404), so ids cannot be probed.
 */
export async function releaseHold(deps: Deps, holdId: string, owner: string | undefined): Promise<void> {
  const hold = await deps.holds.get(holdId);
  if (!hold || !owner || hold.owner !== owner)
    throw notFound('Cette réservation temporaire n’existe pas ou a expiré depuis longtemps.');
  if (await deps.holds.release(holdId, hold)) {
    deps.metrics.holds.inc({ event: 'liberee' });
    await announceFreed(deps, hold);
  }
}

/** Announces a slot given back (released, or expired by the sweeper): capacity is back. */
export async function announceFreed(
  deps: Deps,
  hold: Pick<Hold, 'serviceCode' | 'start' | 'end' | 'type' | 'guichetId' | 'id'>,
): Promise<void> {
  const service = await findServiceByCode(deps.sql, hold.serviceCode);
  const event = slotEvent(hold, service?.timeZone ?? 'Europe/Paris');
  deps.events.slotFreed(event);
  deps.events.agent(hold.serviceCode, 'hold-released', {
    ...event,
    holdId: hold.id,
    guichetId: hold.guichetId,
  });
}
