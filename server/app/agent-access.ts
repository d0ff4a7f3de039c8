import { type AgentAction, authorize, type Decision } from '../domain/index.ts';
import { verifyRdvAccess } from '../domain/rdv-access.ts';
import { type AgentService, findAgentService } from '../store/agenda.ts';
import type { SignedInAgent } from './auth.ts';
import type { Deps } from './deps.ts';
import { AppError, notFound } from './errors.ts';

/** A refusal of the authorisation module, as the use cases throw it (403, or 404 when nothing may leak). */
export function refused(decision: Extract<Decision, { allowed: false }>): AppError {
  return decision.status === 404
    ? notFound(decision.message)
    : new AppError('FORBIDDEN', decision.message, { reason: 'HABILITATION' });
}

export type Granted = {
  service: AgentService;
  rattache: boolean;
  canal: Extract<Decision, { allowed: true }>['canal'];
};

/** Asks the authorisation module whether `agent` may do `action` on `service`, or throws its refusal. */
export function grant(
  agent: SignedInAgent,
  action: AgentAction,
  service: AgentService,
  options: { reachedByCodeAndName?: boolean } = {},
): Granted {
  const decision = authorize(
    agent.context,
    action,
    { code: service.codePrincipal, bookableByAgentsExterieurs: service.bookableByAgentsExterieurs },
    options,
  );
  if (!decision.allowed) throw refused(decision);
  return { service, rattache: decision.rattache, canal: decision.canal };
}

/** The service by its code and the agent's right to `action` on it. */
export async function serviceFor(
  deps: Pick<Deps, 'sql'>,
  agent: SignedInAgent,
  action: AgentAction,
  code: string,
): Promise<Granted> {
  const service = await findAgentService(deps.sql, code);
  if (!service) throw notFound(`Aucun service ne porte le code ${code}.`);
  return grant(agent, action, service);
}

/**
 * An agent extérieur's proof that he reached this rdv by its code and the usager's name: the
 * access token "Rechercher les RDV" gave him for it (see server/domain/rdv-access.ts).
 */
export function accessProof(
  deps: Pick<Deps, 'secrets' | 'clock'>,
  agent: SignedInAgent,
  rdvId: number,
  token: string | undefined,
): { reachedByCodeAndName?: boolean } {
  if (!token) return {};
  const grant = { agentId: agent.context.agentId, rdvId, now: deps.clock.now().getTime() };
  return verifyRdvAccess(deps.secrets.signing, grant, token) ? { reachedByCodeAndName: true } : {};
}

/** Whether the authorisation module lets `agent` do `action` on `service` (for lists of buttons). */
export function may(
  agent: SignedInAgent,
  action: AgentAction,
  service: AgentService,
  options: { reachedByCodeAndName?: boolean } = {},
): boolean {
  return authorize(
    agent.context,
    action,
    { code: service.codePrincipal, bookableByAgentsExterieurs: service.bookableByAgentsExterieurs },
    options,
  ).allowed;
}
