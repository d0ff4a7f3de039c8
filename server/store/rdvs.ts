import type { Usager } from '../domain/types.ts';
import { type Db, inOrder, type Tx } from '../infra/db.ts';

/** The usager as the booking form gives it (the domain's `Usager`). */
export type NewUsager = Usager;

export async function insertUsager(tx: Db, u: NewUsager): Promise<number> {
  const [row] = await tx<{ id: string }[]>`
    insert into usagers (type, civilite, nom_usage, nom_naissance, prenoms, date_naissance, numero_fiscal, siren,
                         raison_sociale, telephones, rappel, email)
    values (${u.type}, ${u.civilite}, ${u.nomUsage}, ${u.nomNaissance}, ${u.prenoms}, ${u.dateNaissance},
            ${u.numeroFiscal}, ${u.siren}, ${u.raisonSociale}, ${u.telephones}, ${u.rappel}, ${u.email})
    returning id`;
  return Number(row!.id);
}

export type NewRdv = {
  code: string;
  serviceId: number;
  guichetId: number;
  motifId: number;
  usagerId: number;
  type: 'physique' | 'telephone';
  start: Date;
  end: Date;
  canal: 'internet' | 'agentExterieur' | 'agentService';
  precisions: string;
  createdByAgentId: number | null;
};

/** Inserts an rdv; the exclusion constraint refuses an overlap (23P01), the code index a duplicate (23505). */
export async function insertRdv(tx: Db, r: NewRdv): Promise<number> {
  const [row] = await tx<{ id: string }[]>`
    insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal, precisions, created_by_agent_id)
    values (${r.code}, ${r.serviceId}, ${r.guichetId}, ${r.motifId}, ${r.usagerId}, ${r.type},
            tstzrange(${r.start}, ${r.end}, '[)'), ${r.canal}, ${r.precisions}, ${r.createdByAgentId})
    returning id`;
  return Number(row!.id);
}

/**
 * One line of the audit log: who did what, when, and what it replaced and wrote. `before`,
 * `after` and `details` hold ids, codes, dates and states, never personal data.
 */
export async function insertAudit(
  tx: Db,
  e: {
    actor: 'usager' | 'agent' | 'system';
    agentId?: number | null;
    action: string;
    serviceId?: number | null;
    rdvId?: number | null;
    before?: Record<string, unknown> | null;
    after?: Record<string, unknown> | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  const json = (v: Record<string, unknown> | null | undefined) => (v ? tx.json(v as never) : null);
  await tx`
    insert into audit_log (actor, agent_id, action, service_id, rdv_id, before, after, details)
    values (${e.actor}, ${e.agentId ?? null}, ${e.action}, ${e.serviceId ?? null}, ${e.rdvId ?? null},
            ${json(e.before)}, ${json(e.after)}, ${tx.json((e.details ?? {}) as never)})`;
}

export async function insertOutbox(
  tx: Db,
  rows: {
    kind: string;
    idempotencyKey: string;
    rdvId: number;
    runAt: Date;
    payload?: Record<string, unknown>;
  }[],
): Promise<void> {
  for (const r of rows) {
    await tx`
      insert into outbox (kind, idempotency_key, rdv_id, run_at, payload)
      values (${r.kind}, ${r.idempotencyKey}, ${r.rdvId}, ${r.runAt}, ${tx.json((r.payload ?? {}) as never)})
      on conflict (idempotency_key) do nothing`;
  }
}

export async function findIdempotentResponse(
  db: Db,
  key: string,
): Promise<{ requestHash: string; status: number; response: unknown } | undefined> {
  const [row] = await db<{ requestHash: string; status: number; response: unknown }[]>`
    select request_hash, status, response from idempotency_keys where key = ${key}`;
  return row;
}

/**
 * Serialises requests that share an Idempotency-Key, then returns the stored answer if any. The two
 * statements leave together (pipelined on the transaction's connection) but run in order: the
 * read takes its snapshot once the lock is held, so it sees the answer of the request it waited for.
 */
export async function lockIdempotencyKey(
  tx: Tx,
  key: string,
): Promise<{ requestHash: string; status: number; response: unknown } | undefined> {
  const [, [row]] = await inOrder([
    tx`select pg_advisory_xact_lock(hashtextextended(${`idem:${key}`}, 0))`,
    tx<{ requestHash: string; status: number; response: unknown }[]>`
      select request_hash, status, response from idempotency_keys where key = ${key}`,
  ]);
  return row;
}

export async function saveIdempotentResponse(
  tx: Db,
  key: string,
  requestHash: string,
  status: number,
  response: unknown,
): Promise<void> {
  await tx`
    insert into idempotency_keys (key, request_hash, status, response)
    values (${key}, ${requestHash}, ${status}, ${tx.json(response as never)})`;
}

/** Whether the usager (by numéro fiscal or SIREN) already has a future active rdv in the service. */
export async function usagerHasFutureRdv(
  db: Db,
  serviceId: number,
  ids: { numeroFiscal: string | null; siren: string | null },
  now: Date,
): Promise<boolean> {
  if (!ids.numeroFiscal && !ids.siren) return false;
  const [row] = await db`
    select 1 from rdvs r join usagers u on u.id = r.usager_id
    where r.service_id = ${serviceId} and r.active and upper(r.during) > ${now}
      and ((${ids.numeroFiscal}::text is not null and u.numero_fiscal = ${ids.numeroFiscal})
        or (${ids.siren}::text is not null and u.siren = ${ids.siren}))
    limit 1`;
  return !!row;
}

/**
 * Before an online booking's insert: the id the rdv will have, and which of the candidate codes an
 * active rdv already bears. Knowing both, the whole answer is built before the one insert below.
 */
export async function prepareRdvInsert(tx: Tx, codes: string[]): Promise<{ id: number; taken: string[] }> {
  const [row] = await tx<{ id: string; taken: string[] }[]>`
    select nextval('rdvs_id_seq'::regclass) as id,
           coalesce((select array_agg(code::text) from rdvs where active and code = any(${codes}::text[])), '{}') as taken`;
  return { id: Number(row!.id), taken: row!.taken };
}

export type BookingWrite = {
  rdv: Omit<NewRdv, 'usagerId'> & { id: number };
  usager: NewUsager;
  audit: { action: string; details: Record<string, unknown> };
  outbox: { kind: string; idempotencyKey: string; runAt: Date }[];
  idempotency: { key: string; requestHash: string; status: number; response: unknown };
};

/**
 * An online booking in one statement: the usager, the rdv (the exclusion constraint refuses an
 * overlap, 23P01; the code index a code taken since prepareRdvInsert, 23505), its audit line, its
 * emails in the outbox and the stored answer of its Idempotency-Key — all or nothing.
 */
export async function insertBooking(tx: Tx, w: BookingWrite): Promise<void> {
  const { rdv: r, usager: u } = w;
  await tx`
    with u as (
      insert into usagers (type, civilite, nom_usage, nom_naissance, prenoms, date_naissance, numero_fiscal, siren,
                           raison_sociale, telephones, rappel, email)
      values (${u.type}, ${u.civilite}, ${u.nomUsage}, ${u.nomNaissance}, ${u.prenoms}, ${u.dateNaissance},
              ${u.numeroFiscal}, ${u.siren}, ${u.raisonSociale}, ${u.telephones}, ${u.rappel}, ${u.email})
      returning id),
    r as (
      insert into rdvs (id, code, service_id, guichet_id, motif_id, usager_id, type, during, canal, precisions,
                        created_by_agent_id)
      select ${r.id}, ${r.code}, ${r.serviceId}, ${r.guichetId}, ${r.motifId}, u.id, ${r.type},
             tstzrange(${r.start}, ${r.end}, '[)'), ${r.canal}, ${r.precisions}, ${r.createdByAgentId}
      from u
      returning id),
    a as (
      insert into audit_log (actor, action, service_id, rdv_id, details)
      select 'usager', ${w.audit.action}, ${r.serviceId}, r.id, ${tx.json(w.audit.details as never)} from r),
    o as (
      insert into outbox (kind, idempotency_key, rdv_id, run_at)
      select x.kind, x.key, r.id, x.run_at
      from r, unnest(${w.outbox.map((o) => o.kind)}::text[], ${w.outbox.map((o) => o.idempotencyKey)}::text[],
                     ${w.outbox.map((o) => o.runAt.toISOString())}::text[]::timestamptz[]) as x(kind, key, run_at)
      on conflict (idempotency_key) do nothing)
    insert into idempotency_keys (key, request_hash, status, response)
    select ${w.idempotency.key}, ${w.idempotency.requestHash}, ${w.idempotency.status},
           ${tx.json(w.idempotency.response as never)}
    from r`;
}
