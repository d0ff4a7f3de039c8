import { authorizeGlobal, keepsAChef, type Profile } from '../domain/habilitations.ts';
import { hashPassword, verifyPassword } from '../infra/password.ts';
import { type AgentService, findAgentService } from '../store/agenda.ts';
import {
  deleteHabilitation,
  deleteOtherSessions,
  findAgentSummary,
  findPasswordHash,
  insertAgent,
  insertService,
  listServiceAgents,
  lockHabilitations,
  type NewService,
  type ServiceAgent,
  setPassword,
  upsertHabilitation,
} from '../store/organisation.ts';
import { insertAudit } from '../store/rdvs.ts';
import { refused, serviceFor } from './agent-access.ts';
import type { SignedInAgent } from './auth.ts';
import type { Deps } from './deps.ts';
import { AppError, notFound } from './errors.ts';

/*
 * "Organiser le service" (reference annexe 4): a chef manages the habilitations of his services'
 * agents, an administrateur those of every service, and creates agents (with a first password
 * to change at the first sign-in) and services. A service always keeps at least one chef.
 */

const lastChef = () =>
  new AppError(
    'LAST_CHEF',
    'C’est le dernier chef de ce service : nommez d’abord un autre chef, puis modifiez ou retirez celui-ci.',
  );

/** A password an agent chooses: long enough to resist guessing, as ANSSI recommends. */
export function assertPasswordStrength(password: string, field = 'password'): void {
  if (password.length < 12) {
    throw new AppError('VALIDATION_FAILED', 'Le mot de passe comporte 12 caractères au moins.', {
      errors: [{ field, message: '12 caractères au moins.' }],
    });
  }
}

/** The service named (for the page's title) and its agents. */
export type ServiceTeam = { service: { code: string; name: string }; agents: ServiceAgent[] };

const teamOf = async (deps: Pick<Deps, 'sql'>, service: AgentService): Promise<ServiceTeam> => ({
  service: { code: service.codePrincipal, name: service.name },
  agents: await listServiceAgents(deps.sql, service.id),
});

export async function serviceAgents(
  deps: Pick<Deps, 'sql'>,
  agent: SignedInAgent,
  code: string,
): Promise<ServiceTeam> {
  const { service } = await serviceFor(deps, agent, 'service.organise', code);
  return teamOf(deps, service);
}

/** Attaches an agent to the service with a profile, or changes his profile. */
export async function setHabilitation(
  deps: Deps,
  agent: SignedInAgent,
  code: string,
  target: { agentId?: number | undefined; login?: string | undefined },
  profile: Profile | null,
): Promise<ServiceTeam> {
  const { service } = await serviceFor(deps, agent, 'service.organise', code);
  const who = await findAgentSummary(
    deps.sql,
    target.agentId !== undefined ? { id: target.agentId } : { login: target.login },
  );
  if (!who) throw notFound('Aucun agent ne porte cet identifiant.');
  const changed = await deps.sql.begin(async (tx) => {
    const current = await lockHabilitations(tx, service.id);
    // Only active agents count: a deactivated chef cannot sign in to manage the service, and
    // changing a deactivated agent's profile never takes its last chef away.
    const active = new Map([...current].flatMap(([id, h]) => (h.active ? [[id, h.profile] as const] : [])));
    if (who.active && !keepsAChef(active, who.id, profile)) throw lastChef();
    const before = current.get(who.id)?.profile ?? null;
    if (profile === null) {
      if (!(await deleteHabilitation(tx, who.id, service.id)))
        throw notFound('Cet agent n’est pas rattaché à ce service.');
    } else {
      await upsertHabilitation(tx, who.id, service.id, profile);
    }
    await insertAudit(tx, {
      actor: 'agent',
      agentId: agent.context.agentId,
      action: profile === null ? 'habilitation.retiree' : 'habilitation.modifiee',
      serviceId: service.id,
      before: { agentId: who.id, profil: before },
      after: { agentId: who.id, profil: profile },
    });
    return before !== null && before !== profile;
  });
  // Detached, or another profile: his open sockets are dropped on every node at once. His
  // sessions live on (he may belong to other services): the pages connect again, and each join
  // is checked against his rights as they are now. A new attachment takes nothing away.
  if (changed) deps.events.dropAgentSockets({ agentIds: [who.id] });
  if (profile === null)
    deps.log.info({ agentId: who.id, service: service.codePrincipal }, 'agent retiré du service');
  return teamOf(deps, service);
}

/** An administrateur creates an agent, with a first password to change at the first sign-in. */
export async function createAgent(
  deps: Deps,
  agent: SignedInAgent,
  input: {
    login: string;
    name: string;
    email: string | null;
    password: string;
    habilitations: { code: string; profile: Profile }[];
  },
): Promise<{ id: number; login: string }> {
  const decision = authorizeGlobal(agent.context, 'agents.create');
  if (!decision.allowed) throw refused(decision);
  assertPasswordStrength(input.password);
  const login = input.login.trim().toLowerCase();
  const services: { id: number; profile: Profile }[] = [];
  for (const h of input.habilitations) {
    const s = await findAgentService(deps.sql, h.code);
    if (!s) throw notFound(`Aucun service ne porte le code ${h.code}.`);
    services.push({ id: s.id, profile: h.profile });
  }
  const passwordHash = await hashPassword(input.password);
  const id = await deps.sql
    .begin(async (tx) => {
      const id = await insertAgent(tx, { login, name: input.name.trim(), email: input.email, passwordHash });
      for (const s of services) await upsertHabilitation(tx, id, s.id, s.profile);
      await insertAudit(tx, {
        actor: 'agent',
        agentId: agent.context.agentId,
        action: 'agent.cree',
        after: { id, login, habilitations: input.habilitations },
      });
      return id;
    })
    .catch((err: { code?: string }) => {
      if (err.code === '23505')
        throw new AppError('VALIDATION_FAILED', 'Cet identifiant est déjà pris.', {
          errors: [{ field: 'login', message: 'Identifiant déjà pris.' }],
        });
      throw err;
    });
  return { id, login };
}

/** An administrateur creates a service of the network (inactive: its head configures it). */
export async function createService(
  deps: Deps,
  agent: SignedInAgent,
  s: NewService,
): Promise<{ code: string }> {
  const decision = authorizeGlobal(agent.context, 'services.create');
  if (!decision.allowed) throw refused(decision);
  await deps.sql
    .begin(async (tx) => {
      const id = await insertService(tx, s);
      await insertAudit(tx, {
        actor: 'agent',
        agentId: agent.context.agentId,
        action: 'service.cree',
        serviceId: id,
        after: { code: s.codePrincipal, kind: s.kind },
      });
    })
    .catch((err: { code?: string }) => {
      if (err.code === '23505')
        throw new AppError(
          'VALIDATION_FAILED',
          'Un service porte déjà ce code principal ou ce code associé.',
          {
            errors: [{ field: 'codePrincipal', message: 'Code déjà pris.' }],
          },
        );
      throw err;
    });
  return { code: s.codePrincipal };
}

/** The agent changes his own password (required after a first password); his other sessions end. */
export async function changePassword(
  deps: Deps,
  agent: SignedInAgent,
  input: { current: string; next: string },
): Promise<void> {
  const stored = await findPasswordHash(deps.sql, agent.context.agentId);
  if (!stored || !(await verifyPassword(input.current, stored))) {
    throw new AppError('VALIDATION_FAILED', 'Le mot de passe actuel est incorrect.', {
      errors: [{ field: 'current', message: 'Mot de passe actuel incorrect.' }],
    });
  }
  assertPasswordStrength(input.next, 'next');
  if (input.next === input.current) {
    throw new AppError('VALIDATION_FAILED', 'Choisissez un mot de passe différent de l’actuel.', {
      errors: [{ field: 'next', message: 'Différent de l’actuel.' }],
    });
  }
  await setPassword(deps.sql, agent.context.agentId, await hashPassword(input.next));
  const ended = await deleteOtherSessions(deps.sql, agent.context.agentId, agent.sessionId);
  await insertAudit(deps.sql, {
    actor: 'agent',
    agentId: agent.context.agentId,
    action: 'agent.mot-de-passe',
    details: { autresSessionsFermees: ended.length },
  });
  deps.events.dropAgentSockets({ sessionIds: ended });
}
