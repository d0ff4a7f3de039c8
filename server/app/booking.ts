import { createHash } from 'node:crypto';
import {
  addDays,
  bookingWindow,
  computeSlots,
  DomainError,
  findOfferedSlot,
  formatIsoWithOffset,
  generateRdvCode,
  isInBookingWindow,
  type RdvType,
  startOfLocalDay,
} from '../domain/index.ts';
import type { Hold } from '../infra/holds.ts';
import type { SlotEvent } from '../realtime/events.ts';
import { findMotif, loadOccupation, loadServiceOffer, type ServiceOffer } from '../store/offer.ts';
import {
  findIdempotentResponse,
  insertAudit,
  insertOutbox,
  insertRdv,
  insertUsager,
  lockIdempotencyKey,
  type NewUsager,
  saveIdempotentResponse,
} from '../store/rdvs.ts';
import { findServiceByCode } from '../store/services.ts';
import type { Deps } from './deps.ts';
import { AppError, notFound } from './errors.ts';

const MAX_RANGE_DAYS = 62;
const REMINDER_BEFORE_MS = 48 * 3_600_000;

async function offerOf(deps: Deps, serviceCode: string): Promise<ServiceOffer> {
  const offer = await loadServiceOffer(deps.sql, serviceCode);
  if (!offer) throw notFound(`Aucun service ne porte le code ${serviceCode}.`);
  return offer;
}

/** Active rdvs, fermetures and live holds of a service over [start, end). */
async function occupation(deps: Deps, offer: ServiceOffer, start: number, end: number) {
  const [{ busy, fermetures }, held] = await Promise.all([
    loadOccupation(deps.sql, offer.serviceId, { start, end }),
    deps.holds.live(offer.serviceId),
  ]);
  return { fermetures, busy: busy.concat(held) };
}

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
  const { busy, fermetures } = await occupation(deps, offer, start, end);
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

const slotEvent = (h: Pick<Hold, 'serviceCode' | 'start' | 'end' | 'type'>, tz: string): SlotEvent => ({
  serviceCode: h.serviceCode,
  start: formatIsoWithOffset(h.start, tz),
  end: formatIsoWithOffset(h.end, tz),
  type: h.type,
});

export type HoldAnswer = { holdId: string; start: string; end: string; expiresAt: string };

/** Keeps an offered slot for the usager; the server picks a free guichet. */
export async function placeHold(
  deps: Deps,
  input: { serviceCode: string; motifId: number; type: RdvType; start: number; owner?: string },
): Promise<HoldAnswer> {
  const offer = await offerOf(deps, input.serviceCode);
  const tz = offer.rules.timeZone;
  const now = deps.clock.now().getTime();
  const unavailable = () =>
    new DomainError('SLOT_UNAVAILABLE', 'Ce créneau n’est plus disponible. Choisissez un autre horaire.');
  if (!offer.active) throw unavailable();
  const day = startOfLocalDay(formatIsoWithOffset(input.start, tz).slice(0, 10), tz);
  const { busy, fermetures } = await occupation(deps, offer, day, day + 2 * 86_400_000);
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
    const hold = await deps.holds.place(
      {
        serviceId: offer.serviceId,
        serviceCode: offer.serviceCode,
        guichetId,
        motifId: input.motifId,
        type: input.type,
        start: slot.start,
        end: slot.end,
      },
      ttlMs,
    );
    if (!hold) continue;
    if (input.owner) {
      // One active hold per browser: the previous one goes back to everybody.
      const previous = await deps.holds.claimOwner(input.owner, hold.id, ttlMs);
      if (previous && previous !== hold.id) await releaseHold(deps, previous).catch(() => {});
    }
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

/** Gives a held slot back (the usager changed his mind); announces it at once. */
export async function releaseHold(deps: Deps, holdId: string): Promise<void> {
  const hold = await deps.holds.get(holdId);
  if (!hold) throw notFound('Cette réservation temporaire n’existe pas ou a expiré depuis longtemps.');
  if (await deps.holds.release(holdId)) await announceFreed(deps, hold);
}

/** Announces holds that expired (called by the sweeper): capacity is back. */
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

export type BookingInput = {
  holdId: string;
  usager: NewUsager;
  precisions: string;
  captcha?: string | undefined;
};

export type BookingAnswer = {
  code: string;
  start: string;
  end: string;
  durationMinutes: number;
  type: RdvType;
  service: {
    code: string;
    name: string;
    address: { street: string; postcode: string; city: string };
    phone: string | null;
    email: string | null;
  };
  motif: { id: number; label: string; parent: string | null };
  documents: string;
  /** Time zone of the service: every time of the answer is local to it. */
  timeZone: string;
  /** The server's calendar file of this rdv (the same UID as the email's attachment). */
  calendarUrl: string;
};

function replayed(stored: { requestHash: string; response: unknown }, requestHash: string): BookingAnswer {
  if (stored.requestHash !== requestHash) {
    throw new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      'Cette clé d’idempotence a déjà servi pour une autre demande.',
    );
  }
  return stored.response as BookingAnswer;
}

const hashRequest = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('hex');

type PgError = Error & { code?: string; constraint_name?: string };
const pgCode = (err: unknown) => (err as PgError)?.code;

/**
 * Books the held slot. The exclusion constraint is the guard: an overlap (23P01) is SLOT_TAKEN,
 * a deadlock (40P01) is retried once. Same Idempotency-Key and same body → same answer, one rdv.
 */
export async function bookRdv(
  deps: Deps,
  input: BookingInput,
  idempotencyKey: string,
): Promise<BookingAnswer> {
  const requestHash = hashRequest(input);
  const stored = await findIdempotentResponse(deps.sql, idempotencyKey);
  if (stored) return replayed(stored, requestHash);
  // After the replay check: a retried submission keeps its answer without a second captcha.
  if (deps.config.captcha.required && !(await deps.captcha.verify(input.captcha ?? ''))) {
    throw new AppError(
      'VALIDATION_FAILED',
      'Le captcha n’est pas validé ou a expiré : cochez de nouveau « Je ne suis pas un robot ».',
      {
        errors: [{ field: 'captcha', message: 'Validez le captcha « Je ne suis pas un robot ».' }],
      },
    );
  }
  const hold = await deps.holds.get(input.holdId);
  if (!hold)
    throw new AppError('HOLD_EXPIRED', 'Le créneau réservé a expiré. Choisissez de nouveau un horaire.');
  const service = await findServiceByCode(deps.sql, hold.serviceCode);
  const motif = await findMotif(deps.sql, hold.motifId);
  if (!service || !motif) throw notFound('Le service ou le motif de ce créneau n’existe plus.');
  const tz = service.timeZone;
  const now = deps.clock.now().getTime();
  const holdLive = !hold.released && hold.expiresAt > now;

  const answer: Omit<BookingAnswer, 'code' | 'calendarUrl'> = {
    start: formatIsoWithOffset(hold.start, tz),
    end: formatIsoWithOffset(hold.end, tz),
    durationMinutes: Math.round((hold.end - hold.start) / 60_000),
    type: hold.type,
    service: {
      code: service.codePrincipal,
      name: service.name,
      address: { street: service.street, postcode: service.postcode, city: service.city },
      phone: service.phone,
      email: service.email,
    },
    motif: { id: motif.id, label: motif.label, parent: motif.parentLabel },
    documents: motif.documents,
    timeZone: tz,
  };

  const attempt = () =>
    deps.sql.begin(async (tx) => {
      const previous = await lockIdempotencyKey(tx, idempotencyKey);
      if (previous) return { replay: true, answer: replayed(previous, requestHash), rdvId: 0 };
      if (!holdLive) {
        // An expired hold may still book if nobody else holds the slot and it is still in the window.
        const window = bookingWindow('internet', now, {
          timeZone: tz,
          holidayCalendar: service.holidayCalendar as never,
          durationMinutes: service.rdvDurationMinutes,
        });
        if (!isInBookingWindow(hold, window)) {
          throw new DomainError(
            'OUTSIDE_BOOKING_WINDOW',
            'Ce créneau n’est plus dans la période de prise de rendez-vous.',
          );
        }
        const others = await deps.holds.live(hold.serviceId);
        if (
          others.some(
            (o) =>
              o.id !== hold.id && o.guichetId === hold.guichetId && o.start < hold.end && hold.start < o.end,
          )
        ) {
          throw new DomainError(
            'SLOT_TAKEN',
            'Ce créneau vient d’être réservé par une autre personne. Choisissez un autre horaire.',
          );
        }
      }
      const usagerId = await insertUsager(tx, input.usager);
      let rdvId = 0;
      let code = '';
      for (let i = 0; ; i++) {
        code = generateRdvCode();
        try {
          rdvId = await tx.savepoint((sp) =>
            insertRdv(sp, {
              code,
              serviceId: hold.serviceId,
              guichetId: hold.guichetId,
              motifId: hold.motifId,
              usagerId,
              type: hold.type,
              start: new Date(hold.start),
              end: new Date(hold.end),
              canal: 'internet',
              precisions: input.precisions,
              createdByAgentId: null,
            }),
          );
          break;
        } catch (err) {
          // A code already used by an active rdv: draw another (26^6 codes, collisions are rare).
          if (pgCode(err) === '23505' && (err as PgError).constraint_name === 'rdvs_active_code_uq' && i < 5)
            continue;
          throw err;
        }
      }
      await insertAudit(tx, {
        actor: 'usager',
        action: 'rdv.cree',
        serviceId: hold.serviceId,
        rdvId,
        details: { canal: 'internet', holdId: hold.id },
      });
      if (input.usager.email) {
        const outbox = [
          { kind: 'confirmation', idempotencyKey: `rdv:${rdvId}:confirmation`, rdvId, runAt: new Date(now) },
        ];
        if (hold.start - REMINDER_BEFORE_MS > now) {
          outbox.push({
            kind: 'rappel',
            idempotencyKey: `rdv:${rdvId}:rappel`,
            rdvId,
            runAt: new Date(hold.start - REMINDER_BEFORE_MS),
          });
        }
        await insertOutbox(tx, outbox);
      }
      const calendarUrl = deps.links.rdv({
        id: rdvId,
        code,
        serviceCode: service.codePrincipal,
      }).calendarPath;
      const full: BookingAnswer = { code, ...answer, calendarUrl };
      await saveIdempotentResponse(tx, idempotencyKey, requestHash, 201, full);
      return { replay: false, answer: full, rdvId };
    });

  let result: Awaited<ReturnType<typeof attempt>>;
  try {
    result = await attempt().catch((err) => (pgCode(err) === '40P01' ? attempt() : Promise.reject(err)));
  } catch (err) {
    if (pgCode(err) === '23P01') {
      throw new DomainError(
        'SLOT_TAKEN',
        'Ce créneau vient d’être réservé par une autre personne. Choisissez un autre horaire.',
      );
    }
    throw err;
  }
  if (!result.replay) {
    // The hold is consumed: its capacity now belongs to the rdv, nothing is freed.
    await deps.holds.release(hold.id);
    const event = slotEvent(hold, tz);
    deps.events.slotTaken(event);
    deps.events.agent(service.codePrincipal, 'rdv-created', {
      serviceCode: service.codePrincipal,
      rdvId: result.rdvId,
      code: result.answer.code,
      guichetId: hold.guichetId,
      start: event.start,
      end: event.end,
      type: hold.type,
      canal: 'internet',
      status: 'confirme',
    });
  }
  return result.answer;
}
