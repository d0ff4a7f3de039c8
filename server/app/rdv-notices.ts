import type { Tx } from '../infra/db.ts';
import { cancelPendingOutbox } from '../store/outbox.ts';
import { insertOutbox } from '../store/rdvs.ts';

/*
 * The emails a change of an rdv queues, in the transaction of the change: they go out once the
 * change is committed, and at most once each (their idempotency keys).
 */

const REMINDER_BEFORE_MS = 48 * 3_600_000;

/** A new rdv's emails: the confirmation now, the reminder 48 hours before (when that is still ahead). */
export function confirmationRows(
  rdv: { id: number; start: number; email: string | null },
  now: number,
): { kind: string; idempotencyKey: string; rdvId: number; runAt: Date }[] {
  if (!rdv.email) return [];
  const rows = [
    {
      kind: 'confirmation',
      idempotencyKey: `rdv:${rdv.id}:confirmation`,
      rdvId: rdv.id,
      runAt: new Date(now),
    },
  ];
  if (rdv.start - REMINDER_BEFORE_MS > now) {
    rows.push({
      kind: 'rappel',
      idempotencyKey: `rdv:${rdv.id}:rappel`,
      rdvId: rdv.id,
      runAt: new Date(rdv.start - REMINDER_BEFORE_MS),
    });
  }
  return rows;
}

/** A new rdv: its emails go to the outbox (see confirmationRows). */
export async function queueConfirmation(
  tx: Tx,
  rdv: { id: number; start: number; email: string | null },
  now: number,
): Promise<void> {
  const rows = confirmationRows(rdv, now);
  if (rows.length > 0) await insertOutbox(tx, rows);
}

/** A cancelled rdv: pending emails about it are dropped, and the cancellation notice goes out. */
export async function queueCancellationNotice(
  tx: Tx,
  rdv: { id: number; email: string | null },
  now: Date,
): Promise<void> {
  await cancelPendingOutbox(tx, rdv.id, ['confirmation', 'rappel', 'replanification'], now);
  if (rdv.email) {
    await insertOutbox(tx, [
      { kind: 'annulation', idempotencyKey: `rdv:${rdv.id}:annulation`, rdvId: rdv.id, runAt: now },
    ]);
  }
}

/**
 * A moved rdv: the reminder follows it (the old one is dropped, a new one is due 48 hours before
 * the new start), and the usager is told, once per move (the n-th move has its own key).
 */
export async function queueReplanNotice(
  tx: Tx,
  rdv: { id: number; email: string | null; previousStart: number; start: number },
  move: number,
  now: Date,
): Promise<void> {
  await cancelPendingOutbox(tx, rdv.id, ['rappel', 'replanification'], now);
  if (!rdv.email) return;
  const rows: Parameters<typeof insertOutbox>[1] = [
    {
      kind: 'replanification',
      idempotencyKey: `rdv:${rdv.id}:replanification:${move}`,
      rdvId: rdv.id,
      runAt: now,
      payload: { previousStart: new Date(rdv.previousStart).toISOString() },
    },
  ];
  if (rdv.start - REMINDER_BEFORE_MS > now.getTime()) {
    rows.push({
      kind: 'rappel',
      idempotencyKey: `rdv:${rdv.id}:rappel:${move}`,
      rdvId: rdv.id,
      runAt: new Date(rdv.start - REMINDER_BEFORE_MS),
    });
  }
  await insertOutbox(tx, rows);
}
