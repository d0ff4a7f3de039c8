import type { Db, Tx } from '../infra/db.ts';

/** Takes the job if it is due and nobody holds it; true when this node runs it now. */
export async function claimJob(
  db: Db,
  name: string,
  now: Date,
  leaseUntil: Date,
  firstRun: Date,
): Promise<boolean> {
  await db`insert into jobs (name, next_run_at) values (${name}, ${firstRun}) on conflict (name) do nothing`;
  const rows = await db`
    update jobs set locked_until = ${leaseUntil}
    where name = ${name} and next_run_at <= ${now} and (locked_until is null or locked_until <= ${now})
    returning name`;
  return rows.length > 0;
}

export async function finishJob(
  db: Db,
  name: string,
  now: Date,
  next: Date,
  result: Record<string, unknown>,
) {
  await db`
    update jobs set locked_until = null, last_run_at = ${now}, next_run_at = ${next}, last_result = ${db.json(result as never)}
    where name = ${name}`;
}

export type RetentionCounts = {
  usagers: number;
  rdvs: number;
  sessions: number;
  idempotencyKeys: number;
  localMails: number;
  auditLines: number;
};

/**
 * Anonymises the usagers whose every rdv ended before `cutoff` (names, phones, email, numéro
 * fiscal, SIREN, birth date, company) and the free texts of those rdvs (précisions, contre-appel
 * comment); purges expired sessions, old idempotency keys and demo mails, and the before/after
 * detail of old audit lines. Dates, states, canals, motifs and guichets stay: the statistics.
 */
export async function applyRetention(
  tx: Tx,
  t: { now: Date; cutoff: Date; keysBefore: Date; mailsBefore: Date },
): Promise<RetentionCounts> {
  const usagers = await tx`
    update usagers u set nom_usage = 'ANONYME', nom_naissance = null, prenoms = '', date_naissance = null,
           numero_fiscal = null, siren = null, raison_sociale = null, telephones = array['']::text[], rappel = '{}',
           email = null, anonymised_at = ${t.now}
    where u.anonymised_at is null
      and exists (select 1 from rdvs r where r.usager_id = u.id)
      and not exists (select 1 from rdvs r where r.usager_id = u.id and upper(r.during) >= ${t.cutoff})
    returning u.id`;
  const rdvs = await tx`
    update rdvs set precisions = '', contre_appel_comment = case when contre_appel_comment is null then null else '' end
    where upper(during) < ${t.cutoff} and (precisions <> '' or coalesce(contre_appel_comment, '') <> '')
    returning id`;
  const sessions = await tx`delete from sessions where expires_at <= ${t.now} returning id`;
  const keys = await tx`delete from idempotency_keys where created_at < ${t.keysBefore} returning key`;
  const mails = await tx`delete from local_mails where sent_at < ${t.mailsBefore} returning id`;
  const audit = await tx`
    update audit_log set before = null, after = null, details = '{}'
    where at < ${t.cutoff} and (before is not null or after is not null or details <> '{}')
    returning id`;
  return {
    usagers: usagers.length,
    rdvs: rdvs.length,
    sessions: sessions.length,
    idempotencyKeys: keys.length,
    localMails: mails.length,
    auditLines: audit.length,
  };
}
