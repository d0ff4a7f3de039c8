import type { Db } from '../infra/db.ts';
import type { ServiceRow } from './services.ts';

/** Rows are written by the use cases with insertOutbox (store/rdvs.ts), in their own transaction. */
export type OutboxRow = {
  id: number;
  kind: string;
  idempotencyKey: string;
  rdvId: number | null;
  payload: Record<string, unknown>;
  attempts: number;
};

/**
 * Leases the next due row until `leaseUntil`, or answers undefined when none is due. One row at a
 * time, claimed just before its send: a lease then covers a single send however slow the relay is
 * with the ones before it. SKIP LOCKED lets several nodes claim at once without waiting on each
 * other; a row leased by another node (locked_until in the future) is left alone, even after that
 * node's claim committed.
 */
export async function claimNextOutbox(db: Db, now: Date, leaseUntil: Date): Promise<OutboxRow | undefined> {
  const [row] = await db<(Omit<OutboxRow, 'id' | 'rdvId'> & { id: string; rdvId: string | null })[]>`
    update outbox set locked_until = ${leaseUntil}
    where id = (
      select id from outbox
      where sent_at is null and cancelled_at is null and failed_at is null
        and run_at <= ${now}
        and (locked_until is null or locked_until <= ${now})
      order by run_at, id
      limit 1
      for update skip locked)
    returning id, kind, idempotency_key, rdv_id, payload, attempts`;
  if (!row) return undefined;
  return { ...row, id: Number(row.id), rdvId: row.rdvId === null ? null : Number(row.rdvId) };
}

/** Only an unsent row becomes sent: a late duplicate (expired lease) changes nothing. */
export async function markOutboxSent(db: Db, id: number, now: Date): Promise<boolean> {
  const rows = await db`
    update outbox set sent_at = ${now}, locked_until = null, last_error = null
    where id = ${id} and sent_at is null
    returning id`;
  return rows.length > 0;
}

export async function markOutboxCancelled(db: Db, id: number, now: Date, reason: string): Promise<void> {
  await db`
    update outbox set cancelled_at = ${now}, locked_until = null, last_error = ${reason}
    where id = ${id} and sent_at is null`;
}

/** A failed attempt: either a later retry (`retryAt`) or the end of the road (`failedAt`). */
export async function markOutboxAttemptFailed(
  db: Db,
  id: number,
  failure: { attempts: number; error: string; retryAt: Date | null; failedAt: Date | null },
): Promise<void> {
  await db`
    update outbox set attempts = ${failure.attempts}, last_error = ${failure.error}, locked_until = null,
                      run_at = coalesce(${failure.retryAt}, run_at), failed_at = ${failure.failedAt}
    where id = ${id} and sent_at is null`;
}

/** Pending emails of an rdv that no longer make sense (it was cancelled). */
export async function cancelPendingOutbox(
  db: Db,
  rdvId: number,
  kinds: string[],
  now: Date,
): Promise<number> {
  const rows = await db`
    update outbox set cancelled_at = ${now}, locked_until = null
    where rdv_id = ${rdvId} and kind = any(${kinds}) and sent_at is null and cancelled_at is null and failed_at is null
    returning id`;
  return rows.length;
}

/** Everything an email or a self-service page says about an rdv, in one round trip. */
export type RdvDetails = {
  id: number;
  code: string;
  type: 'physique' | 'telephone';
  status: 'confirme' | 'annule';
  cancelReason: string | null;
  canal: 'internet' | 'agentExterieur' | 'agentService';
  guichetId: number;
  start: number;
  end: number;
  createdAt: Date;
  updatedAt: Date;
  usager: {
    type: 'particulier' | 'professionnel';
    civilite: 'M' | 'MME';
    nomUsage: string;
    raisonSociale: string | null;
    email: string | null;
  };
  service: Pick<
    ServiceRow,
    'id' | 'name' | 'street' | 'postcode' | 'city' | 'phone' | 'email' | 'timeZone' | 'selfCancellation'
  > & { code: string };
  motif: { label: string; parentLabel: string | null; documents: string };
};

type DetailsRow = Omit<RdvDetails, 'id' | 'usager' | 'service' | 'motif'> & {
  id: string;
  usagerType: RdvDetails['usager']['type'];
  civilite: RdvDetails['usager']['civilite'];
  nomUsage: string;
  raisonSociale: string | null;
  usagerEmail: string | null;
  serviceId: number;
  serviceCode: string;
  serviceName: string;
  street: string;
  postcode: string;
  city: string;
  servicePhone: string | null;
  serviceEmail: string | null;
  timeZone: string;
  selfCancellation: boolean;
  motifLabel: string;
  parentLabel: string | null;
  documents: string;
};

export async function findRdvDetails(db: Db, rdvId: number): Promise<RdvDetails | undefined> {
  const [r] = await db<DetailsRow[]>`
    select r.id, r.code, r.type, r.status, r.cancel_reason, r.canal, r.guichet_id, r.created_at, r.updated_at,
           (extract(epoch from lower(r.during)) * 1000)::float8 as start,
           (extract(epoch from upper(r.during)) * 1000)::float8 as "end",
           u.type as usager_type, u.civilite, u.nom_usage, u.raison_sociale, u.email as usager_email,
           s.id as service_id, s.code_principal as service_code, s.name as service_name, s.street, s.postcode, s.city,
           s.phone as service_phone, s.email as service_email, s.time_zone, s.self_cancellation,
           m.label as motif_label, p.label as parent_label,
           coalesce(nullif(m.documents, ''), p.documents, '') as documents
    from rdvs r
    join usagers u on u.id = r.usager_id
    join services s on s.id = r.service_id
    join motifs m on m.id = r.motif_id
    left join motifs p on p.id = m.parent_id
    where r.id = ${rdvId}`;
  if (!r) return undefined;
  return {
    id: Number(r.id),
    code: r.code,
    type: r.type,
    status: r.status,
    cancelReason: r.cancelReason,
    canal: r.canal,
    guichetId: r.guichetId,
    start: r.start,
    end: r.end,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    usager: {
      type: r.usagerType,
      civilite: r.civilite,
      nomUsage: r.nomUsage,
      raisonSociale: r.raisonSociale,
      email: r.usagerEmail,
    },
    service: {
      id: r.serviceId,
      code: r.serviceCode,
      name: r.serviceName,
      street: r.street,
      postcode: r.postcode,
      city: r.city,
      phone: r.servicePhone,
      email: r.serviceEmail,
      timeZone: r.timeZone,
      selfCancellation: r.selfCancellation,
    },
    motif: { label: r.motifLabel, parentLabel: r.parentLabel, documents: r.documents },
  };
}
