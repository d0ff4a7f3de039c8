import type { Profile } from '../domain/habilitations.ts';
import type { Db } from '../infra/db.ts';

export type AgentAccount = {
  id: number;
  login: string;
  displayName: string;
  passwordHash: string;
  administrateur: boolean;
  active: boolean;
  mustChangePassword: boolean;
};

export async function findAgentByLogin(db: Db, login: string): Promise<AgentAccount | undefined> {
  const [row] = await db<AgentAccount[]>`
    select id, login, display_name, password_hash, administrateur, active, must_change_password
    from agents where login = ${login}`;
  return row;
}

export async function updatePasswordHash(db: Db, agentId: number, hash: string): Promise<void> {
  await db`update agents set password_hash = ${hash} where id = ${agentId}`;
}

/** A signed-in agent as every request sees him: identity, habilitations, his session's expiry. */
export type SessionAgent = {
  sessionId: string;
  expiresAt: Date;
  agentId: number;
  login: string;
  displayName: string;
  administrateur: boolean;
  mustChangePassword: boolean;
  habilitations: { serviceCode: string; profile: Profile }[];
};

/** The agent of a live session (by the SHA-256 of its token), with his zone de compétence. */
export async function findSessionAgent(
  db: Db,
  sessionId: string,
  now: Date,
): Promise<SessionAgent | undefined> {
  const [row] = await db<SessionAgent[]>`
    select se.id as session_id, se.expires_at, a.id as agent_id, a.login, a.display_name, a.administrateur,
           a.must_change_password,
           coalesce(json_agg(json_build_object('serviceCode', s.code_principal, 'profile', h.profile)
                    order by s.code_principal) filter (where s.id is not null), '[]') as habilitations
    from sessions se
    join agents a on a.id = se.agent_id and a.active
    left join habilitations h on h.agent_id = a.id
    left join services s on s.id = h.service_id
    where se.id = ${sessionId} and se.expires_at > ${now}
    group by se.id, a.id`;
  return row;
}

export async function insertSession(db: Db, s: { id: string; agentId: number; expiresAt: Date; now: Date }) {
  await db`
    insert into sessions (id, agent_id, created_at, expires_at, last_seen_at)
    values (${s.id}, ${s.agentId}, ${s.now}, ${s.expiresAt}, ${s.now})`;
}

export async function extendSession(db: Db, id: string, expiresAt: Date, now: Date): Promise<void> {
  await db`update sessions set expires_at = ${expiresAt}, last_seen_at = ${now} where id = ${id}`;
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db`delete from sessions where id = ${id}`;
}

/** Every session of an agent; returns their ids so that their sockets can be dropped too. */
export async function deleteAgentSessions(db: Db, agentId: number): Promise<string[]> {
  const rows = await db<{ id: string }[]>`delete from sessions where agent_id = ${agentId} returning id`;
  return rows.map((r) => r.id);
}
