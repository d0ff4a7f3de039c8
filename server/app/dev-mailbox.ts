import { listLocalMails } from '../store/local-mails.ts';
import type { Deps } from './deps.ts';
import { notFound } from './errors.ts';

export type DevMail = { id: number; to: string; subject: string; text: string; html: string; sentAt: string };

/** What the local transport kept, newest first: demo mode only, since it shows personal data. */
export async function listDevMails(
  deps: Pick<Deps, 'sql' | 'config'>,
  limit = 100,
): Promise<{ mails: DevMail[] }> {
  if (!deps.config.demo) throw notFound('Aucune ressource à cette adresse.');
  const mails = await listLocalMails(deps.sql, limit);
  return { mails: mails.map((m) => ({ ...m, sentAt: m.sentAt.toISOString() })) };
}
