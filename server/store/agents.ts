import type { Db } from '../infra/db.ts';

export type SessionAgent = { agentId: number; administrateur: boolean; serviceCodes: string[] };

/** The agent of a live session (by the sha-256 of its token), with his zone de compétence. */
export async function findSessionAgent(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<SessionAgent | undefined> {
  const [row] = await db<SessionAgent[]>`
    select a.id as agent_id, a.administrateur,
           coalesce(array_agg(s.code_principal::text) filter (where s.id is not null), '{}') as service_codes
    from sessions se
    join agents a on a.id = se.agent_id and a.active
    left join habilitations h on h.agent_id = a.id
    left join services s on s.id = h.service_id
    where se.id = ${tokenHash} and se.expires_at > ${now}
    group by a.id`;
  return row;
}
