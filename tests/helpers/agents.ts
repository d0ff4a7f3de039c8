import { randomUUID } from 'node:crypto';
import { newSessionToken, sessionIdOf } from '../../server/app/auth.ts';
import type { Profile } from '../../server/domain/habilitations.ts';
import { SESSION_IDLE_MS } from '../../server/domain/sessions.ts';
import { SESSION_COOKIE } from '../../server/http/agent-session.ts';
import type { Sql } from '../../server/infra/db.ts';
import { hashPassword } from '../../server/infra/password.ts';
import { insertSession } from '../../server/store/agents.ts';
import type { TestServer } from './app.ts';

export const PASSWORD = 'mot-de-passe-de-test';
let hash: Promise<string> | undefined;

/** An agent of the run, with a unique login; `on` lists his habilitations (none for an admin). */
export async function createAgent(
  sql: Sql,
  options: { name?: string; administrateur?: boolean; on?: { serviceId: number; profile: Profile }[] } = {},
): Promise<{ id: number; login: string }> {
  hash ??= hashPassword(PASSWORD);
  const login = `${options.name ?? 'agent'}.${randomUUID().slice(0, 8)}`;
  const [row] = await sql<{ id: number }[]>`
    insert into agents (login, display_name, password_hash, administrateur)
    values (${login}, ${`Agent ${login}`}, ${await hash}, ${options.administrateur ?? false}) returning id`;
  for (const h of options.on ?? []) {
    await sql`insert into habilitations (agent_id, service_id, profile) values (${row!.id}, ${h.serviceId}, ${h.profile})`;
  }
  return { id: row!.id, login };
}

/** What a browser of our site would send: our Origin, and the session cookie once signed in. */
export function agentClient(server: TestServer, cookie = '') {
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: {
        origin: server.url,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(cookie ? { cookie } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  return {
    cookie,
    get: (path: string) => call(path),
    post: (path: string, body?: unknown) =>
      call(path, { method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
    put: (path: string, body: unknown) => call(path, { method: 'PUT', body: JSON.stringify(body) }),
    patch: (path: string, body: unknown) => call(path, { method: 'PATCH', body: JSON.stringify(body) }),
    call,
  };
}

/** Signs `login` in through the API; returns a client carrying his session cookie. */
export async function signIn(server: TestServer, login: string, password = PASSWORD) {
  const res = await agentClient(server).post('/api/v1/auth/login', { login, password });
  if (res.status !== 200) throw new Error(`connexion de ${login} : ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? '';
  return agentClient(server, cookie);
}

/**
 * A session of `agentId` opened as sign-in opens one, without checking his password: for suites
 * that need many sessions and are not about signing in (each scrypt takes a core for a while).
 */
export async function sessionOf(server: TestServer, agentId: number) {
  const token = newSessionToken();
  const now = server.deps.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  await insertSession(server.deps.sql, { id: sessionIdOf(token), agentId, expiresAt, now });
  return agentClient(server, `${SESSION_COOKIE}=${token}`);
}
