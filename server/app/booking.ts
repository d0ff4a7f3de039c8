import { createHash } from 'node:crypto';
import {
  DomainError,
  formatIsoWithOffset,
  generateRdvCode,
  guichetForHeldSlot,
  type RdvType,
} from '../domain/index.ts';
import type { CaptchaKey } from '../infra/captcha.ts';
import { inOrder, type Tx } from '../infra/db.ts';
import type { Hold } from '../infra/holds.ts';
import { type AgendaRdvRow, findAgendaRdv } from '../store/agenda.ts';
import { findMotif, loadOccupation, loadServiceOffer } from '../store/offer.ts';
import {
  insertBooking,
  insertRdv,
  lockIdempotencyKey,
  type NewUsager,
  prepareRdvInsert,
} from '../store/rdvs.ts';
import { agendaRdv } from './agenda.ts';
import type { Deps } from './deps.ts';
import { AppError, notFound } from './errors.ts';
import { slotEvent } from './holds.ts';
import { confirmationRows } from './rdv-notices.ts';

export type BookingInput = {
  /** The hold to book: only the browser that placed it (its owner cookie) may. */
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
  | {
      replay: false;
      answer: BookingAnswer;
      rdvId: number;
      guichetId: number;
      hold: Hold;
      /** The write and the rdv read back, settled after the transaction (see bookUnderKey). */
      written: Promise<readonly [unknown, AgendaRdvRow | undefined]>;
      agendaRow: AgendaRdvRow | undefined;
    };

// Two transactions that draw the same free code at the same instant: the loser starts over.
const codeClash = (err: unknown) =>
  pgCode(err) === '23505' && (err as PgError).constraint_name === 'rdvs_active_code_uq';

/**
 * Books the held slot. The exclusion constraint is the guard: an overlap (23P01) is SLOT_TAKEN, a
 * deadlock (40P01) or a code drawn twice at once is retried once.
 *
 * Everything happens under the Idempotency-Key's lock, in one transaction: a retry of the same
 * submission that arrives while the first is still running waits for it and gets its answer (one
 * rdv, one 201), instead of burning the captcha on the replay guard. The captcha is checked
 * first but used up only as the last step, so a booking that fails keeps it.
 *
 * Round trips are what a booking costs: the transaction makes three — BEGIN; the key's lock with
 * every read pipelined behind it; the one statement that writes with COMMIT behind it (when a
 * captcha must be used up: the write, the captcha, then COMMIT) — the offer read fresh.
 */
export async function bookRdv(
  deps: Deps,
  input: BookingInput,
  idempotencyKey: string,
  owner: string | undefined,
): Promise<BookingAnswer> {
  const requestHash = hashRequest(input);
  const attempt = async (): Promise<Booked> => {
    // Read while the transaction begins: the hold is in Redis (or memory), not in PostgreSQL.
    // Hold ids reach every agent of the service (events, agenda): to anyone but the browser that
    // placed it, a hold is unknown, as DELETE /holds/:id has it.
    const hold = deps.holds.get(input.holdId).then((h) => (h && owner && h.owner === owner ? h : null));
    hold.catch(() => undefined);
    const booked = await deps.sql.begin((tx) =>
      bookUnderKey(deps, tx, input, idempotencyKey, requestHash, hold),
    );
    if (booked.replay) return booked;
    // The write's own outcome: when it failed, the COMMIT behind it rolled the transaction back
    // (PostgreSQL answers ROLLBACK to the COMMIT of an aborted transaction), and this says why.
    const [, agendaRow] = await booked.written;
    return { ...booked, agendaRow };
  };
  let result: Booked;
  try {
    result = await attempt().catch((err) =>
      pgCode(err) === '40P01' || codeClash(err) ? attempt() : Promise.reject(err),
    );
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
  holdRead: Promise<Hold | null>,
): Promise<Booked> {
  const hold = await holdRead;
  const now = deps.clock.now().getTime();
  const live = !!hold && !hold.released && hold.expiresAt > now;
  const codes = [generateRdvCode(), generateRdvCode(), generateRdvCode()];
  // One write to PostgreSQL: the lock first, then the reads, each with a snapshot taken once the
  // lock is held. Those a replay does not need are wasted on it, which is rare.
  const [previous, offer, motif, occupied, prepared, held] = await inOrder([
    lockIdempotencyKey(tx, idempotencyKey),
    hold ? loadServiceOffer(tx, hold.serviceCode) : undefined,
    hold ? findMotif(tx, hold.motifId) : undefined,
    hold ? loadOccupation(tx, hold.serviceId, { start: hold.start, end: hold.end }) : undefined,
    hold ? prepareRdvInsert(tx, codes) : undefined,
    // The other holds matter to a hold that lost its protection only (see guichetForHeldSlot):
    // a live one keeps its slot, and is spared the read.
    hold && !live ? deps.holds.live(hold.serviceId) : [],
  ]);
  if (previous) return { replay: true, answer: replayed(previous, requestHash) };

  let captcha: CaptchaKey | null = null;
  if (deps.config.captcha.required) {
    captcha = await deps.captcha.check(input.captcha ?? '');
    if (!captcha) throw captchaRefused();
  }
  if (!hold || !occupied || !prepared)
    throw new AppError('HOLD_EXPIRED', 'Le créneau réservé a expiré. Choisissez de nouveau un horaire.');
  if (!offer) throw notFound(`Aucun service ne porte le code ${hold.serviceCode}.`);
  if (!motif) throw notFound('Le motif de ce créneau n’existe plus.');
  const tz = offer.rules.timeZone;
  const busy = [...occupied.busy, ...held];
  const guichetId = guichetForHeldSlot(
    {
      rules: offer.rules,
      guichets: offer.active ? offer.guichets : [],
      fermetures: occupied.fermetures,
      busy: busy.filter((b) => !('id' in b) || b.id !== hold.id),
      motifId: hold.motifId,
      type: hold.type,
      canal: 'internet',
      now,
    },
    { guichetId: hold.guichetId, start: hold.start, end: hold.end, released: !!hold.released, live },
  );

  // 26^6 codes: three candidates all taken means something else is wrong.
  const code = codes.find((c) => !prepared.taken.includes(c));
  if (!code) throw new Error('Trois codes de rendez-vous tirés au hasard sont déjà pris.');
  const rdvId = prepared.id;
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
  // The write, and behind it (same write to the socket) the rdv as agendas draw it, for the event.
  // Not awaited here when no captcha is to be used up: returning lets sql.begin send COMMIT at
  // once, pipelined behind them; bookRdv then awaits their outcome.
  const written = inOrder([
    insertBooking(tx, {
      rdv: {
        id: rdvId,
        code,
        serviceId: offer.serviceId,
        guichetId,
        motifId: hold.motifId,
        type: hold.type,
        start: new Date(hold.start),
        end: new Date(hold.end),
        canal: 'internet',
        precisions: input.precisions,
        createdByAgentId: null,
      },
      usager: input.usager,
      audit: { action: 'rdv.cree', details: { canal: 'internet', holdId: hold.id, guichetId } },
      outbox: confirmationRows({ id: rdvId, start: hold.start, email: input.usager.email }, now),
      idempotency: { key: idempotencyKey, requestHash, status: 201, response: answer },
    }),
    findAgendaRdv(tx, rdvId),
  ] as const);
  written.catch(() => undefined);
  if (captcha) {
    // Last: only a booking whose write went through uses the captcha up, before COMMIT.
    await written;
    if (!(await deps.captcha.consume(captcha))) throw captchaRefused();
  }
  return { replay: false, answer, rdvId, guichetId, hold, written, agendaRow: undefined };
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
  // Not awaited before the events: with Redis, the release and the events leave in one write
  // (the release first, so every node sees it before them).
  const released = deps.holds.release(hold.id, hold);
  released.catch(() => undefined);
  const tz = booked.answer.timeZone;
  const event = slotEvent(hold, tz);
  deps.events.slotTaken(event);
  // The whole rdv, as agent events carry it (read in the booking's transaction): open agendas
  // draw it without asking the API.
  const rdv = booked.agendaRow ? agendaRdv(booked.agendaRow, tz) : undefined;
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
  await released;
}
