import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { Clock, fixedClock } from '../../server/infra/clock.ts';
import { startTestServer, type TestServer } from './app.ts';
import { createService, ownerOf, type ServiceFixture, usager } from './fixtures.ts';
import { json } from './public-booking.ts';
import { type SmtpCapture, startSmtpCapture } from './smtp.ts';

// What the email suites share: two nodes on one database and one SMTP relay, as in production
// behind a load balancer, and a service whose emails say how to reach it.

// Thursday 3 December 2026, 10:00 in Paris: the earliest online rdv is Tuesday 8 December.
export const START = new Date('2026-12-03T10:00:00+01:00');
export const PUBLIC_URL = 'https://rdv.guichet.test';
export const FROM = 'Guichet test <ne-pas-repondre@guichet.test>';

// Recipients are unique to the email suites: other suites' confirmations share the outbox and may
// be sent by these nodes too, so every assertion looks at its own recipient only.
export const emailOf = (n: number) => `usager.courriels.${n}@example.org`;

export type MailSuite = {
  smtp: SmtpCapture;
  node: TestServer;
  otherNode: TestServer;
  /** Phone and email set, self-cancellation on. */
  svc: ServiceFixture;
  /** Self-cancellation turned off, another phone number; only when its code was given. */
  noSelfCancel: ServiceFixture | undefined;
  /** The documents the usager is asked to bring for `svc.motifId`. */
  documents: string;
  close(): Promise<void>;
};

export async function startMailSuite(
  clock: Clock,
  codes: { svc: string; noSelfCancel?: string },
): Promise<MailSuite> {
  const smtp = await startSmtpCapture();
  const env = { SMTP_URL: smtp.url, MAIL_FROM: FROM, PUBLIC_URL };
  const node = await startTestServer({ clock, env });
  const otherNode = await startTestServer({ clock, env });
  const sql = node.deps.sql;
  const svc = await createService(sql, { code: codes.svc });
  await sql`update services set phone = '03 86 00 00 00', email = 'sip.test@example.gouv.fr' where id = ${svc.serviceId}`;
  let noSelfCancel: ServiceFixture | undefined;
  if (codes.noSelfCancel) {
    noSelfCancel = await createService(sql, { code: codes.noSelfCancel });
    await sql`update services set self_cancellation = false, phone = '03 86 11 11 11' where id = ${noSelfCancel.serviceId}`;
  }
  const [m] = await sql<{ documents: string }[]>`
    select coalesce(nullif(m.documents, ''), p.documents, '') as documents
    from motifs m left join motifs p on p.id = m.parent_id where m.id = ${svc.motifId}`;
  // Emails of the other suites (same database) go out now, so that counts below are ours alone.
  await node.guichet.runOutbox();
  return {
    smtp,
    node,
    otherNode,
    svc,
    noSelfCancel,
    documents: m!.documents,
    async close() {
      await otherNode.close();
      await node.close();
      await smtp.close();
    },
  };
}

/**
 * The suite of one test file: started before its tests, closed after them, and the clock back at
 * START before each test (tests move it to reach a reminder or a retry). The fields are there once
 * the file's beforeAll ran.
 */
export function useMailSuite(
  clock: ReturnType<typeof fixedClock>,
  codes: { svc: string; noSelfCancel?: string },
): MailSuite {
  const suite = {} as MailSuite;
  beforeAll(async () => {
    Object.assign(suite, await startMailSuite(clock, codes));
  });
  afterAll(async () => {
    await suite.close?.();
  });
  beforeEach(() => clock.set(START));
  return suite;
}

/** Holds then books a slot through the public API, like the wizard does. */
export async function book(
  server: TestServer,
  s: ServiceFixture,
  start: string,
  n: number,
  type = 'physique',
) {
  const h = await server.api.request(
    '/api/v1/holds',
    json({ serviceCode: s.code, motifId: s.motifId, type, start }),
  );
  expect(h.status).toBe(201);
  const { holdId } = await h.json();
  const res = await server.api.request(
    '/api/v1/rdvs',
    json(
      { holdId, usager: usager(n, { email: emailOf(n) }), precisions: 'Question sur ma déclaration' },
      { 'idempotency-key': randomUUID(), cookie: ownerOf(h) },
    ),
  );
  expect(res.status).toBe(201);
  const rdv = (await res.json()) as { code: string; start: string };
  const [row] = await server.deps.sql<
    { id: string }[]
  >`select id from rdvs where code = ${rdv.code} and active`;
  return { ...rdv, id: Number(row!.id) };
}

/** The cancellation link of an email, and its parameters. */
export function cancelLink(mail: ParsedMail): { url: URL; code: string; token: string } {
  const match = /https:\/\/rdv\.guichet\.test\/rendez-vous\/annuler\?\S+/.exec(mail.text ?? '');
  expect(match, 'lien d’annulation dans le courriel').not.toBeNull();
  const url = new URL(match![0]);
  return { url, code: url.searchParams.get('code')!, token: url.searchParams.get('jeton')! };
}

export async function outboxRow(server: TestServer, rdvId: number, kind: string) {
  const [row] = await server.deps.sql<
    {
      sentAt: Date | null;
      cancelledAt: Date | null;
      failedAt: Date | null;
      attempts: number;
      lastError: string | null;
      runAt: Date;
    }[]
  >`select sent_at, cancelled_at, failed_at, attempts, last_error, run_at from outbox where rdv_id = ${rdvId} and kind = ${kind}`;
  return row;
}
