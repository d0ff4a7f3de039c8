import type { Db, Tx } from '../infra/db.ts';

/**
 * Rdvs that carry a code, newest first. Codes are unique among active rdvs only: a cancelled rdv
 * may share its code with a newer one, and the signed link (over id and code) tells them apart.
 */
export async function findRdvIdsByCode(db: Db, code: string): Promise<number[]> {
  const rows = await db<{ id: string }[]>`
    select id from rdvs where code = ${code} order by active desc, id desc limit 20`;
  return rows.map((r) => Number(r.id));
}

/** Locks the rdv for a change of status; what the checks need, read under the lock. */
export async function lockRdvForUpdate(
  tx: Tx,
  rdvId: number,
): Promise<{ status: 'confirme' | 'annule'; start: number; selfCancellation: boolean } | undefined> {
  const [row] = await tx<{ status: 'confirme' | 'annule'; start: number; selfCancellation: boolean }[]>`
    select r.status, (extract(epoch from lower(r.during)) * 1000)::float8 as start, s.self_cancellation
    from rdvs r join services s on s.id = r.service_id
    where r.id = ${rdvId}
    for update of r`;
  return row;
}

/** Cancels the rdv if it is still confirmed; false when it was cancelled already. */
export async function markRdvCancelled(tx: Db, rdvId: number, now: Date, reason: string): Promise<boolean> {
  const rows = await tx`
    update rdvs set status = 'annule', cancelled_at = ${now}, cancel_reason = ${reason}, updated_at = ${now}
    where id = ${rdvId} and status = 'confirme'
    returning id`;
  return rows.length > 0;
}
