import { maskPersonal } from '../infra/logger.ts';
import { MailError } from '../infra/mailer.ts';
import {
  claimNextOutbox,
  findRdvDetails,
  markOutboxAttemptFailed,
  markOutboxCancelled,
  markOutboxSent,
  type OutboxRow,
  type RdvDetails,
} from '../store/outbox.ts';
import type { Deps } from './deps.ts';
import { renderMail } from './mail-content.ts';

/**
 * The outbox worker: sends the due emails to usagers. Rows are written by the use cases in their
 * own transaction (booking, cancellation); the worker only reads the rdv as it is when the email
 * goes out, so a reminder always tells the current date and is dropped when the rdv was cancelled.
 */

export type OutboxWorkerDeps = Pick<
  Deps,
  'sql' | 'clock' | 'log' | 'mailer' | 'links' | 'metrics' | 'config'
>;

// A row is leased when its own send begins, for far longer than one send can take (transports
// time out after 30 s; MAIL_LEASE_SECONDS, 5 minutes by default): another node never claims a row
// whose send is still in progress, and a crashed node's row comes back after it. Leasing a batch
// up front would let the last rows' lease run out while they wait behind a slow relay.
// Bounds one run, so that a huge backlog cannot keep a node busy forever between two polls.
const MAX_PER_RUN = 500;
/** After this many failed attempts the row is marked failed and left for an operator. */
export const MAX_ATTEMPTS = 12;
const FIRST_RETRY_MS = 60_000;
const MAX_RETRY_MS = 2 * 3_600_000;

/** 1 min, 2 min, 4 min… capped at 2 h: about 13 hours of retries before giving up. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

type Outcome = 'sent' | 'skipped' | 'retry' | 'failed';

/** Why a due row must not be sent any more, if so. */
function obsolete(row: OutboxRow, rdv: RdvDetails, now: number): string | undefined {
  if (rdv.status === 'annule' && row.kind !== 'annulation') return 'rendez-vous annulé';
  if (row.kind === 'rappel' && rdv.start <= now) return 'rendez-vous déjà commencé';
  // After a long outage, news of an rdv that is over helps nobody.
  if (row.kind !== 'annulation' && rdv.end <= now) return 'rendez-vous passé';
  if (!rdv.usager.email) return 'pas d’adresse électronique';
  return undefined;
}

async function deliver(deps: OutboxWorkerDeps, row: OutboxRow): Promise<Outcome> {
  const now = deps.clock.now();
  const ref = { outboxId: row.id, kind: row.kind, rdvId: row.rdvId };
  const rdv = row.rdvId === null ? undefined : await findRdvDetails(deps.sql, row.rdvId);
  const skip = rdv ? obsolete(row, rdv, now.getTime()) : 'rendez-vous introuvable';
  if (skip || !rdv) {
    await markOutboxCancelled(deps.sql, row.id, now, skip ?? 'rendez-vous introuvable');
    deps.log.info({ ...ref, reason: skip }, 'courriel abandonné : plus d’objet');
    return 'skipped';
  }
  let messageId: string;
  try {
    const mail = renderMail(row.kind, rdv, row.payload, { links: deps.links });
    if (!mail) throw new MailError(`type de courriel inconnu : ${row.kind}`, true);
    ({ id: messageId } = await deps.mailer.send({
      ...mail,
      to: rdv.usager.email!,
      idempotencyKey: row.idempotencyKey,
    }));
  } catch (err) {
    return failed(
      deps,
      row,
      ref,
      now,
      err instanceof MailError ? err : new MailError((err as Error).message),
    );
  }
  // A database failure from here on is not a failed send: the lease runs out and the row goes
  // again, with the same idempotency key.
  await markOutboxSent(deps.sql, row.id, deps.clock.now());
  deps.log.info({ ...ref, transport: deps.mailer.transport, messageId }, 'courriel envoyé');
  return 'sent';
}

async function failed(
  deps: OutboxWorkerDeps,
  row: OutboxRow,
  ref: Record<string, unknown>,
  now: Date,
  error: MailError,
): Promise<Outcome> {
  const attempts = row.attempts + 1;
  deps.metrics.outboxFailures.inc({ kind: row.kind });
  // Transport errors may quote the recipient ("550 <x@y>: unknown"): the table and the logs get none.
  const message = maskPersonal(error.message).slice(0, 1000);
  const giveUp = error.permanent || attempts >= MAX_ATTEMPTS;
  const retryAt = giveUp ? null : new Date(now.getTime() + retryDelayMs(attempts));
  await markOutboxAttemptFailed(deps.sql, row.id, {
    attempts,
    error: message,
    retryAt,
    failedAt: giveUp ? now : null,
  });
  if (giveUp) deps.log.error({ ...ref, attempts, error: message }, 'courriel abandonné après échec');
  else
    deps.log.warn(
      { ...ref, attempts, error: message, retryAt: retryAt!.toISOString() },
      'envoi de courriel en échec, nouvel essai prévu',
    );
  return giveUp ? 'failed' : 'retry';
}

/**
 * Sends the due emails (run_at ≤ now, by the injected clock) once; returns how many went out.
 * Safe on every node at once: each row is leased by one node (SKIP LOCKED), marked sent only if
 * still unsent, and the transport gets the row's idempotency key, so an rdv gets each kind once.
 */
export async function runOutbox(deps: OutboxWorkerDeps): Promise<number> {
  let sent = 0;
  let handled = 0;
  while (handled < MAX_PER_RUN) {
    const now = deps.clock.now();
    const row = await claimNextOutbox(
      deps.sql,
      now,
      new Date(now.getTime() + deps.config.mailLeaseSeconds * 1000),
    );
    if (!row) break;
    handled++;
    try {
      if ((await deliver(deps, row)) === 'sent') sent++;
    } catch (err) {
      // The database failed mid-way: the lease runs out and the row is claimed again later.
      deps.log.error({ outboxId: row.id, kind: row.kind, err }, 'file des courriels : erreur inattendue');
    }
  }
  return sent;
}

/** Polls the outbox every `intervalMs` on this node; one run at a time. */
export function startOutboxWorker(deps: OutboxWorkerDeps, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = runOutbox(deps)
      .catch((err) => deps.log.warn({ err }, 'file des courriels en échec'))
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
