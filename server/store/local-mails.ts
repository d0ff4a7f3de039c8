import type { Db } from '../infra/db.ts';
import type { LocalMailRecord } from '../infra/mailer.ts';

/**
 * The `local_mails` table: what the default, local transport (server/infra/mailer.ts) delivers
 * instead of sending, and the demo shows at /dev/mails.
 */

/** Keeps one email; a repeated idempotency key stores nothing new and answers the first row's id. */
export async function keepLocalMail(db: Db, mail: LocalMailRecord): Promise<number> {
  const [row] = await db<{ id: string }[]>`
    insert into local_mails (idempotency_key, to_address, subject, text, html, attachments, sent_at)
    values (${mail.idempotencyKey}, ${mail.to}, ${mail.subject}, ${mail.text}, ${mail.html},
            ${db.json(mail.attachments as never)}, ${mail.sentAt})
    on conflict (idempotency_key) do update set idempotency_key = excluded.idempotency_key
    returning id`;
  return Number(row!.id);
}

export type LocalMail = { id: number; to: string; subject: string; text: string; html: string; sentAt: Date };

/** What the local transport kept, newest first. */
export async function listLocalMails(db: Db, limit: number): Promise<LocalMail[]> {
  const rows = await db<(Omit<LocalMail, 'id'> & { id: string })[]>`
    select id, to_address as "to", subject, text, html, sent_at
    from local_mails order by sent_at desc, id desc limit ${limit}`;
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
