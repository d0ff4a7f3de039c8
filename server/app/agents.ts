import { createHash } from 'node:crypto';
import type { AgentIdentity } from '../realtime/server.ts';
import { findSessionAgent } from '../store/agents.ts';
import type { Deps } from './deps.ts';

export const hashSessionToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Resolves a session token to the agent and his zone de compétence (every service for an administrateur). */
export async function authenticateAgent(
  deps: Pick<Deps, 'sql' | 'clock'>,
  token: string,
): Promise<AgentIdentity | null> {
  const agent = await findSessionAgent(deps.sql, hashSessionToken(token), deps.clock.now());
  if (!agent) return null;
  return { agentId: agent.agentId, serviceCodes: agent.administrateur ? 'all' : new Set(agent.serviceCodes) };
}
