import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, ownerOf, type ServiceFixture, usager } from '../helpers/fixtures.ts';
import { type SmtpCapture, startSmtpCapture } from '../helpers/smtp.ts';

// Monday 1 June 2026, 10:00 in Paris: earlier than every other suite's clock, so that no other
// suite's email is due here. The earliest online rdv is Thursday 4 June.
const START = new Date('2026-06-01T10:00:00+02:00');
const clock = fixedClock(START);
const PUBLIC_URL = 'https://rdv.guichet.test';
const FROM = 'Guichet test <ne-pas-repondre@guichet.test>';
// The relay takes a minute of the injected clock per message: 20 messages take four leases.
const RELAY_MS = 60_000;
const COUNT = 20;

let smtp: SmtpCapture;
// Two nodes on one database and one relay, as in production behind a load balancer.
let node: TestServer;
let otherNode: TestServer;
let svc: ServiceFixture;

const emailOf = (n: number) => `usager.bail.${n}@example.org`;
const ours = (messages: ParsedMail[]) =>
  messages.filter((m) => /usager\.bail\.\d+@example\.org/.test(JSON.stringify(m.to ?? '')));
/** The Message-ID the SMTP transport derives from an outbox row's idempotency key. */
const messageIdOf = (key: string) => `<${key.replace(/[^A-Za-z0-9._-]/g, '.')}@guichet.test>`;

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Holds then books a slot through the public API, like the wizard does; answers the rdv's id. */
async function book(start: string, n: number): Promise<number> {
  const h = await node.api.request(
    '/api/v1/holds',
    json({ serviceCode: svc.code, motifId: svc.motifId, type: 'physique', start }),
  );
  expect(h.status).toBe(201);
  const { holdId } = await h.json();
  const res = await node.api.request(
    '/api/v1/rdvs',
    json(
      { holdId, usager: usager(n, { email: emailOf(n) }), precisions: 'Question sur ma déclaration' },
      { 'idempotency-key': randomUUID(), cookie: ownerOf(h) },
    ),
  );
  expect(res.status, await res.clone().text()).toBe(201);
  const { code } = (await res.json()) as { code: string };
  const [row] = await node.deps.sql<{ id: string }[]>`select id from rdvs where code = ${code} and active`;
  return Number(row!.id);
}

beforeAll(async () => {
  smtp = await startSmtpCapture({ beforeAccept: () => clock.advance(RELAY_MS) });
  const env = { SMTP_URL: smtp.url, MAIL_FROM: FROM, PUBLIC_URL };
  node = await startTestServer({ clock, env });
  otherNode = await startTestServer({ clock, env });
  svc = await createService(node.deps.sql, { code: '9970001' });
});

afterAll(async () => {
  await otherNode?.close();
  await node?.close();
  await smtp?.close();
});

describe('outbox lease with a slow relay', () => {
  it('sends each of 20 due emails exactly once when a second worker joins mid-run', async () => {
    const res = await node.api.request(
      `/api/v1/services/${svc.code}/slots?motif=${svc.motifId}&type=physique&from=2026-06-04&to=2026-06-05`,
    );
    const { days } = (await res.json()) as { days: { slots: { start: string }[] }[] };
    const starts = days.flatMap((d) => d.slots.map((s) => s.start)).slice(0, COUNT);
    expect(starts).toHaveLength(COUNT);
    const rdvIds: number[] = [];
    for (const [n, start] of starts.entries()) rdvIds.push(await book(start, n));

    const first = node.guichet.runOutbox();
    // The second node polls once the first has spent more than a lease (5 min) on the relay: rows
    // leased at the start of the first run would have come back by now.
    await smtp.until((messages) => ours(messages).length >= 6);
    const second = otherNode.guichet.runOutbox();
    await Promise.all([first, second]);

    // The relay really was slower than a lease, for the whole run.
    expect(clock.now().getTime() - START.getTime()).toBeGreaterThanOrEqual(COUNT * RELAY_MS);
    const expected = rdvIds.map((id) => messageIdOf(`rdv:${id}:confirmation`));
    const received = ours(smtp.messages).map((m) => m.messageId);
    const times = (id: string) => received.filter((r) => r === id).length;
    expect(Object.fromEntries(expected.map((id) => [id, times(id)]))).toEqual(
      Object.fromEntries(expected.map((id) => [id, 1])),
    );
    expect(received).toHaveLength(COUNT);

    const rows = await node.deps.sql<{ sentAt: Date | null; attempts: number; lockedUntil: Date | null }[]>`
      select sent_at, attempts, locked_until from outbox
      where rdv_id = any(${rdvIds}) and kind = 'confirmation'`;
    expect(rows).toHaveLength(COUNT);
    for (const row of rows) {
      expect(row).toMatchObject({ attempts: 0, lockedUntil: null });
      expect(row.sentAt).toBeInstanceOf(Date);
    }
  });
});
