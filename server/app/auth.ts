import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { type AgentContext, bestProfile, type Profile } from '../domain/habilitations.ts';
import { SESSION_IDLE_MS, slidingExpiry } from '../domain/sessions.ts';
import { hashPassword, needsRehash, verifyPassword } from '../infra/password.ts';
import {
  deleteAgentSessions,
  deleteSession,
  extendSession,
  findAgentByLogin,
  findSessionAgent,
  insertSession,
  type SessionAgent,
  updatePasswordHash,
} from '../store/agents.ts';
import { insertAudit } from '../store/rdvs.ts';
import type { Deps } from './deps.ts';
import { AppError } from './errors.ts';

/** A session token: 20 random bytes (160 bits) in lower-case base32, as the Lucia guide draws it. */
export function newSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** What the database keeps of a token: its SHA-256, so a leaked table opens no session. */
export const sessionIdOf = (token: string): string =>
  encodeHexLowerCase(sha256(new TextEncoder().encode(token)));

/** The signed-in agent of a request: who he is, and what the authorisation module needs. */
export type SignedInAgent = {
  sessionId: string;
  expiresAt: Date;
  login: string;
  name: string;
  mustChangePassword: boolean;
  context: AgentContext;
};

function signedIn(row: SessionAgent, expiresAt: Date): SignedInAgent {
  return {
    sessionId: row.sessionId,
    expiresAt,
    login: row.login,
    name: row.displayName,
    mustChangePassword: row.mustChangePassword,
    context: {
      agentId: row.agentId,
      administrateur: row.administrateur,
      habilitations: new Map(row.habilitations.map((h) => [h.serviceCode, h.profile])),
    },
  };
}

/** A made-up hash to verify against when the login is unknown: both answers take as long. */
let decoy: Promise<string> | undefined;

const badCredentials = () =>
  new AppError('INVALID_CREDENTIALS', 'Identifiant ou mot de passe incorrect.', {
    errors: [{ field: 'password', message: 'Identifiant ou mot de passe incorrect.' }],
  });

const tooMany = (wait: number) =>
  new AppError(
    'RATE_LIMITED',
    `Trop de tentatives de connexion. Réessayez dans ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''}.`,
    { retryAfter: wait },
  );

/**
 * Signs an agent in: the same answer for an unknown login and a wrong password, limits per
 * address (every attempt) and per login (failures), a password rehashed when its parameters are
 * outdated, and a new session each time (rotation: the session of the previous cookie, if any, ends).
 */
export async function signIn(
  deps: Deps,
  input: { login: string; password: string; address: string; previousToken?: string | undefined },
): Promise<{ token: string; agent: SignedInAgent }> {
  const login = input.login.trim().toLowerCase();
  const waitAddress = await deps.limits.login.hit(input.address);
  if (waitAddress !== null) throw tooMany(waitAddress);
  const waitLogin = await deps.limits.loginFailures.peek(login);
  if (waitLogin !== null) throw tooMany(waitLogin);

  const account = await findAgentByLogin(deps.sql, login);
  decoy ??= hashPassword('mot de passe qui ne correspond à aucun compte');
  const valid = await verifyPassword(input.password, account?.passwordHash ?? (await decoy));
  if (!account?.active || !valid) {
    await deps.limits.loginFailures.hit(login);
    deps.log.info({ reason: account ? 'mot de passe' : 'identifiant inconnu' }, 'connexion refusée');
    throw badCredentials();
  }
  await deps.limits.loginFailures.reset(login);
  if (needsRehash(account.passwordHash)) {
    await updatePasswordHash(deps.sql, account.id, await hashPassword(input.password));
  }
  // Rotation: the previous cookie's session ends, and its sockets with it.
  const previous = input.previousToken ? sessionIdOf(input.previousToken) : undefined;
  if (previous) {
    await deleteSession(deps.sql, previous);
    deps.events.dropAgentSockets({ sessionIds: [previous] });
  }

  const token = newSessionToken();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  const sessionId = sessionIdOf(token);
  await insertSession(deps.sql, { id: sessionId, agentId: account.id, expiresAt, now });
  await insertAudit(deps.sql, { actor: 'agent', agentId: account.id, action: 'agent.connexion' });
  const row = await findSessionAgent(deps.sql, sessionId, now);
  if (!row) throw badCredentials(); // deactivated in between
  return { token, agent: signedIn(row, expiresAt) };
}

/** The agent of a session token, its expiry slid forward when half of it has passed; null if none. */
export async function agentOfToken(
  deps: Pick<Deps, 'sql' | 'clock'>,
  token: string,
): Promise<SignedInAgent | null> {
  if (!token) return null;
  const now = deps.clock.now();
  const row = await findSessionAgent(deps.sql, sessionIdOf(token), now);
  if (!row) return null;
  const slid = slidingExpiry(row.expiresAt.getTime(), now.getTime());
  let expiresAt = row.expiresAt;
  if (slid !== null) {
    expiresAt = new Date(slid);
    await extendSession(deps.sql, row.sessionId, expiresAt, now);
  }
  return signedIn(row, expiresAt);
}

/**
 * The agent of a session as it is now (rights, expiry), without sliding it: what the live
 * sockets check on every join, recovery and expiry. Null when the session ended.
 */
export async function agentOfSession(
  deps: Pick<Deps, 'sql' | 'clock'>,
  sessionId: string,
): Promise<SignedInAgent | null> {
  const row = await findSessionAgent(deps.sql, sessionId, deps.clock.now());
  return row ? signedIn(row, row.expiresAt) : null;
}

/** Ends one session; its sockets are dropped on every node. */
export async function signOut(deps: Deps, agent: SignedInAgent): Promise<void> {
  await deleteSession(deps.sql, agent.sessionId);
  await insertAudit(deps.sql, {
    actor: 'agent',
    agentId: agent.context.agentId,
    action: 'agent.deconnexion',
  });
  deps.events.dropAgentSockets({ sessionIds: [agent.sessionId] });
}

/** "Déconnecter toutes mes sessions": every device of the agent, this one included. */
export async function signOutEverywhere(deps: Deps, agent: SignedInAgent): Promise<number> {
  const ids = await deleteAgentSessions(deps.sql, agent.context.agentId);
  await insertAudit(deps.sql, {
    actor: 'agent',
    agentId: agent.context.agentId,
    action: 'agent.deconnexion-partout',
    details: { sessions: ids.length },
  });
  deps.events.dropAgentSockets({ sessionIds: ids });
  return ids.length;
}

/** GET /auth/me: who is signed in, his best profile and his zone de compétence. */
export function describeAgent(agent: SignedInAgent): {
  login: string;
  name: string;
  profile: Profile | 'administrateur' | null;
  services: string[];
  mustChangePassword: boolean;
  expiresAt: string;
} {
  const c = agent.context;
  return {
    login: agent.login,
    name: agent.name,
    profile: c.administrateur ? 'administrateur' : bestProfile(c),
    services: [...c.habilitations.keys()],
    mustChangePassword: agent.mustChangePassword,
    expiresAt: agent.expiresAt.toISOString(),
  };
}
