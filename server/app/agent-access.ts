import { type AgentAction, authorize, type Decision } from '../domain/index.ts';
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
