import { authorizeGlobal } from '../domain/habilitations.ts';
import { listLocalMails } from '../store/local-mails.ts';
import { agentOfToken } from './auth.ts';
import type { Deps } from './deps.ts';
import { notFound } from './errors.ts';

export type DevMail = { id: number; to: string; subject: string; text: string; html: string; sentAt: string };

/**
 * What the local transport kept, newest first. It shows every usager's emails with working
 * cancellation links: demo mode only, and only to a browser on this very machine or to a
 * signed-in administrateur; to anyone else it does not exist.
 */
export async function listDevMails(
  deps: Pick<Deps, 'sql' | 'config' | 'clock'>,
  who: { fromThisMachine: boolean; sessionToken: string },
  limit = 100,
): Promise<{ mails: DevMail[] }> {
  const absent = () => notFound('Aucune ressource à cette adresse.');
  if (!deps.config.demo) throw absent();
  if (!who.fromThisMachine) {
    const agent = who.sessionToken ? await agentOfToken(deps, who.sessionToken) : null;
    if (!agent || agent.mustChangePassword || !authorizeGlobal(agent.context, 'demo.mailbox').allowed)
      throw absent();
  }
  const mails = await listLocalMails(deps.sql, limit);
  return { mails: mails.map((m) => ({ ...m, sentAt: m.sentAt.toISOString() })) };
}
