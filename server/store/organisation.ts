import type { Profile } from '../domain/habilitations.ts';
import type { Db, Tx } from '../infra/db.ts';

export type ServiceAgent = {
  id: number;
  login: string;
  name: string;
  email: string | null;
  profile: Profile;
  active: boolean;
};

/** The agents attached to a service (its zone de compétence includes it), with their profile. */
export async function listServiceAgents(db: Db, serviceId: number): Promise<ServiceAgent[]> {
  return db<ServiceAgent[]>`
    select a.id, a.login, a.display_name as name, a.email, h.profile, a.active
    from habilitations h join agents a on a.id = h.agent_id
    where h.service_id = ${serviceId} order by a.display_name, a.login`;
}

/**
 * Locks the service's habilitations while one changes (the last chef check must not race), and
 * reads each with whether its agent is active.
 */
export async function lockHabilitations(
  tx: Tx,
  serviceId: number,
): Promise<Map<number, { profile: Profile; active: boolean }>> {
  const rows = await tx<{ agentId: number; profile: Profile; active: boolean }[]>`
    select h.agent_id, h.profile, a.active
    from habilitations h join agents a on a.id = h.agent_id
    where h.service_id = ${serviceId} for update of h`;
  await tx`select id from services where id = ${serviceId} for update`;
  return new Map(rows.map((r) => [r.agentId, { profile: r.profile, active: r.active }]));
}

export async function upsertHabilitation(
  tx: Tx,
  agentId: number,
  serviceId: number,
  profile: Profile,
): Promise<void> {
  await tx`
    insert into habilitations (agent_id, service_id, profile) values (${agentId}, ${serviceId}, ${profile})
    on conflict (agent_id, service_id) do update set profile = excluded.profile`;
}

export async function deleteHabilitation(tx: Tx, agentId: number, serviceId: number): Promise<boolean> {
  const rows =
    await tx`delete from habilitations where agent_id = ${agentId} and service_id = ${serviceId} returning agent_id`;
  return rows.length > 0;
}

export async function findAgentSummary(db: Db, by: { id?: number; login?: string }) {
  const [row] = await db<
    { id: number; login: string; name: string; active: boolean; administrateur: boolean }[]
  >`
    select id, login, display_name as name, active, administrateur from agents
    where ${by.id !== undefined ? db`id = ${by.id}` : db`login = ${by.login ?? ''}`}`;
  return row;
}

export async function insertAgent(
  tx: Tx,
  a: { login: string; name: string; email: string | null; passwordHash: string },
): Promise<number> {
  const [row] = await tx<{ id: number }[]>`
    insert into agents (login, display_name, email, password_hash, must_change_password)
    values (${a.login}, ${a.name}, ${a.email}, ${a.passwordHash}, true) returning id`;
  return row!.id;
}

export async function setPassword(db: Db, agentId: number, passwordHash: string): Promise<void> {
  await db`update agents set password_hash = ${passwordHash}, must_change_password = false where id = ${agentId}`;
}

export async function findPasswordHash(db: Db, agentId: number): Promise<string | undefined> {
  const [row] = await db<{ passwordHash: string }[]>`select password_hash from agents where id = ${agentId}`;
  return row?.passwordHash;
}

/** Every session of an agent but one (a changed password keeps the device that changed it). */
export async function deleteOtherSessions(db: Db, agentId: number, keep: string): Promise<string[]> {
  const rows = await db<
    { id: string }[]
  >`delete from sessions where agent_id = ${agentId} and id <> ${keep} returning id`;
  return rows.map((r) => r.id);
}

export type NewService = {
  codePrincipal: string;
  codeAssocie: string | null;
  kind: string;
  name: string;
  street: string;
  postcode: string;
  city: string;
  phone: string | null;
  email: string | null;
  timeZone: string;
  holidayCalendar: string;
};

export async function insertService(tx: Tx, s: NewService): Promise<number> {
  const [row] = await tx<{ id: number }[]>`
    insert into services (code_principal, code_associe, kind, name, street, postcode, city, phone, email, time_zone, holiday_calendar)
    values (${s.codePrincipal}, ${s.codeAssocie}, ${s.kind}, ${s.name}, ${s.street}, ${s.postcode}, ${s.city},
            ${s.phone}, ${s.email}, ${s.timeZone}, ${s.holidayCalendar})
    returning id`;
  return row!.id;
}
