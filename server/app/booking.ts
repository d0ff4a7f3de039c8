import { createHash } from 'node:crypto';
import {
  DomainError,
  formatIsoWithOffset,
  generateRdvCode,
  guichetForHeldSlot,
  type RdvType,
} from '../domain/index.ts';
import type { CaptchaKey } from '../infra/captcha.ts';
import type { Tx } from '../infra/db.ts';
import type { Hold } from '../infra/holds.ts';
import { findMotif } from '../store/offer.ts';
import {
  insertAudit,
  insertRdv,
  insertUsager,
  lockIdempotencyKey,
  type NewUsager,
  saveIdempotentResponse,
} from '../store/rdvs.ts';
import { agendaRdvById } from './agenda.ts';
import type { Deps } from './deps.ts';
import { AppError, notFound } from './errors.ts';
import { slotEvent } from './holds.ts';
import { occupation, offerOf } from './offer.ts';
import { queueConfirmation } from './rdv-notices.ts';

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

const captchaRefused = () =>
  new AppError(
    'VALIDATION_FAILED',
    'Le captcha n’est pas validé ou a expiré : cochez de nouveau « Je ne suis pas un robot ».',
    { errors: [{ field: 'captcha', message: 'Validez le captcha « Je ne suis pas un robot ».' }] },
  );

type Booked =
  | { replay: true; answer: BookingAnswer }
  | { replay: false; answer: BookingAnswer; rdvId: number; guichetId: number; hold: Hold };

/**
 * Books the held slot. The exclusion constraint is the guard: an overlap (23P01) is SLOT_TAKEN, a
 * deadlock (40P01) is retried once.
 *
 * Everything happens under the Idempotency-Key's lock, in one transaction: a retry of the same
 * submission that arrives while the first is still running waits for it and gets its answer (one
 * rdv, one 201), instead of burning the captcha on the replay guard. The captcha is checked
 * first but used up only as the last step, so a booking that fails keeps it.
 */
export async function bookRdv(
  deps: Deps,
  input: BookingInput,
  idempotencyKey: string,
): Promise<BookingAnswer> {
  const requestHash = hashRequest(input);
  const attempt = () => deps.sql.begin((tx) => bookUnderKey(deps, tx, input, idempotencyKey, requestHash));
  let result: Booked;
  try {
    result = await attempt().catch((err) => (pgCode(err) === '40P01' ? attempt() : Promise.reject(err)));
  } catch (err) {
    // The exclusion constraint refused an overlap, or a check under the key's lock did.
    if (pgCode(err) === '23P01' || (err as DomainError).code === 'SLOT_TAKEN')
      deps.metrics.conflicts.inc({ kind: pgCode(err) === '23P01' ? 'contrainte' : 'reserve' });
    if (pgCode(err) === '23P01') {
      throw new DomainError(
        'SLOT_TAKEN',
        'Ce créneau vient d’être réservé par une autre personne. Choisissez un autre horaire.',
      );
    }
    throw err;
  }
  if (!result.replay) await afterBooking(deps, result);
  return result.answer;
}

async function bookUnderKey(
  deps: Deps,
  tx: Tx,
  input: BookingInput,
  idempotencyKey: string,
  requestHash: string,
): Promise<Booked> {
  const previous = await lockIdempotencyKey(tx, idempotencyKey);
  if (previous) return { replay: true, answer: replayed(previous, requestHash) };

  let captcha: CaptchaKey | null = null;
  if (deps.config.captcha.required) {
    captcha = await deps.captcha.check(input.captcha ?? '');
    if (!captcha) throw captchaRefused();
  }
  const hold = await deps.holds.get(input.holdId);
  if (!hold)
    throw new AppError('HOLD_EXPIRED', 'Le créneau réservé a expiré. Choisissez de nouveau un horaire.');
  // Read through the transaction's own connection: taking a second one from the pool while
  // holding this one would starve the pool under a burst of bookings.
  const [offer, motif] = await Promise.all([
    offerOf({ sql: tx }, hold.serviceCode),
    findMotif(tx, hold.motifId),
  ]);
  if (!motif) throw notFound('Le motif de ce créneau n’existe plus.');
  const tz = offer.rules.timeZone;
  const now = deps.clock.now().getTime();
  const live = !hold.released && hold.expiresAt > now;
  const { busy, fermetures } = await occupation({ sql: tx, holds: deps.holds }, offer, {
    start: hold.start,
    end: hold.end,
  });
  const guichetId = guichetForHeldSlot(
    {
      rules: offer.rules,
      guichets: offer.active ? offer.guichets : [],
      fermetures,
      busy: busy.filter((b) => !('id' in b) || b.id !== hold.id),
      motifId: hold.motifId,
      type: hold.type,
      canal: 'internet',
      now,
    },
    { guichetId: hold.guichetId, start: hold.start, end: hold.end, released: !!hold.released, live },
  );

  const usagerId = await insertUsager(tx, input.usager);
  const { rdvId, code } = await insertWithFreshCode(tx, (code) => ({
    code,
    serviceId: offer.serviceId,
    guichetId,
    motifId: hold.motifId,
    usagerId,
    type: hold.type,
    start: new Date(hold.start),
    end: new Date(hold.end),
    canal: 'internet',
    precisions: input.precisions,
    createdByAgentId: null,
  }));
  await insertAudit(tx, {
    actor: 'usager',
    action: 'rdv.cree',
    serviceId: offer.serviceId,
    rdvId,
    details: { canal: 'internet', holdId: hold.id, guichetId },
  });
  await queueConfirmation(tx, { id: rdvId, start: hold.start, email: input.usager.email }, now);
  const id = offer.identity;
  const answer: BookingAnswer = {
    code,
    start: formatIsoWithOffset(hold.start, tz),
    end: formatIsoWithOffset(hold.end, tz),
    durationMinutes: Math.round((hold.end - hold.start) / 60_000),
    type: hold.type,
    service: {
      code: offer.serviceCode,
      name: id.name,
      address: { street: id.street, postcode: id.postcode, city: id.city },
      phone: id.phone,
      email: id.email,
    },
    motif: { id: motif.id, label: motif.label, parent: motif.parentLabel },
    documents: motif.documents,
    timeZone: tz,
    calendarUrl: deps.links.rdv({ id: rdvId, code, serviceCode: offer.serviceCode }).calendarPath,
  };
  await saveIdempotentResponse(tx, idempotencyKey, requestHash, 201, answer);
  // Last: only a booking that is about to commit uses the captcha up.
  if (captcha && !(await deps.captcha.consume(captcha))) throw captchaRefused();
  return { replay: false, answer, rdvId, guichetId, hold };
}

/** Inserts the rdv with a random code, drawing again on the rare clash with an active rdv's code. */
export async function insertWithFreshCode(
  tx: Tx,
  rdv: (code: string) => Parameters<typeof insertRdv>[1],
): Promise<{ rdvId: number; code: string }> {
  for (let i = 0; ; i++) {
    const code = generateRdvCode();
    try {
      return { rdvId: await tx.savepoint((sp) => insertRdv(sp, rdv(code))), code };
    } catch (err) {
      // 26^6 codes: a clash is rare, five in a row means something else is wrong.
      if (pgCode(err) === '23505' && (err as PgError).constraint_name === 'rdvs_active_code_uq' && i < 5)
        continue;
      throw err;
    }
  }
}

/** After commit: the hold is consumed (its capacity now belongs to the rdv) and everyone is told. */
async function afterBooking(deps: Deps, booked: Extract<Booked, { replay: false }>): Promise<void> {
  const { hold } = booked;
  deps.metrics.bookings.inc({ canal: 'internet' });
  await deps.holds.release(hold.id);
  const tz = booked.answer.timeZone;
  const event = slotEvent(hold, tz);
  deps.events.slotTaken(event);
  // The whole rdv, as agent events carry it: open agendas draw it without asking the API. A
  // failed read only costs them a reload (they resync on an event without it).
  const rdv = await agendaRdvById(deps, booked.rdvId, tz).catch(() => undefined);
  deps.events.agent(hold.serviceCode, 'rdv-created', {
    serviceCode: hold.serviceCode,
    rdvId: booked.rdvId,
    code: booked.answer.code,
    guichetId: booked.guichetId,
    start: event.start,
    end: event.end,
    type: hold.type,
    canal: 'internet',
    status: 'confirme',
    ...(rdv ? { rdv } : {}),
  });
}
