import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, ownerOf, type ServiceFixture, usager } from '../helpers/fixtures.ts';
import { type ResendFake, startResendFake } from '../helpers/resend-fake.ts';

/*
 * The email provider fails every request for 45 minutes, then recovers. Two nodes keep trying
 * (the outbox's backoff: 1, 2, 4… minutes), nothing is given up, and once the provider is back every
 * due email goes out, each once. Time is the injected clock: the outage lasts no real time.
 */
// Monday 4 May 2026, 08:00 in Paris: before every other suite's clock, so that only our rows are due.
const START = new Date('2026-05-04T08:00:00+02:00');
const clock = fixedClock(START);
const OUTAGE_MINUTES = 45;
const COUNT = 12;
let resend: ResendFake;
let nodes: TestServer[] = [];
let svc: ServiceFixture;

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

beforeAll(async () => {
  resend = await startResendFake(['cle-a', 'cle-b']);
  const env = { RESEND_API_URL: resend.url, PUBLIC_URL: 'https://rdv.guichet.test' };
  nodes = [
    await startTestServer({ clock, env: { ...env, RESEND_API_KEY: 'cle-a' } }),
    await startTestServer({ clock, env: { ...env, RESEND_API_KEY: 'cle-b' } }),
  ];
  svc = await createService(nodes[0]!.deps.sql, { code: '9790001' });
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  await resend?.close();
});

async function book(start: string, n: number): Promise<number> {
  const api = nodes[n % 2]!.api;
  const h = await api.request(
    '/api/v1/holds',
    json({ serviceCode: svc.code, motifId: svc.motifId, type: 'physique', start }),
  );
  expect(h.status).toBe(201);
  const res = await api.request(
    '/api/v1/rdvs',
    json(
      {
        holdId: (await h.json()).holdId,
        usager: usager(n, { email: `usager.courriel.${n}@example.org` }),
        precisions: 'Question sur ma déclaration',
      },
      { 'idempotency-key': randomUUID(), cookie: ownerOf(h) },
    ),
  );
  expect(res.status, await res.clone().text()).toBe(201);
  const [row] = await nodes[0]!.deps.sql<{ id: string }[]>`
    select id from rdvs where code = ${(await res.json()).code} and active`;
  return Number(row!.id);
}

/** One minute of the clock: both nodes run their outbox, as their timers would. */
async function minute() {
  await Promise.all(nodes.map((n) => n.guichet.runOutbox()));
  clock.advance(60_000);
}

describe('email provider down for 45 minutes', () => {
  it('keeps every email, then sends each once when the provider is back', async () => {
    const res = await nodes[0]!.api.request(
      `/api/v1/services/${svc.code}/slots?motif=${svc.motifId}&type=physique&from=2026-05-11&to=2026-05-12`,
    );
    const { days } = (await res.json()) as { days: { slots: { start: string }[] }[] };
    const starts = days.flatMap((d) => d.slots.map((s) => s.start)).slice(0, COUNT);
    expect(starts).toHaveLength(COUNT);
    resend.failing(503);
    const rdvIds: number[] = [];
    for (const [n, start] of starts.entries()) rdvIds.push(await book(start, n));

    for (let m = 0; m < OUTAGE_MINUTES; m++) await minute();
    const tried = resend.requests.length;
    expect(tried).toBeGreaterThan(COUNT * 4); // retried all along (1, 2, 4, 8, 16… minutes)
    expect(resend.delivered).toHaveLength(0);
    const sql = nodes[0]!.deps.sql;
    const [kept] = await sql<{ failed: number; waiting: number }[]>`
      select count(*) filter (where failed_at is not null)::int as failed,
             count(*) filter (where sent_at is null and failed_at is null)::int as waiting
      from outbox where rdv_id = any(${rdvIds}) and kind = 'confirmation'`;
    expect(kept).toEqual({ failed: 0, waiting: COUNT });

    resend.failing(null);
    const back = clock.now().getTime();
    const confirmations = async () => {
      const rows = await sql<{ key: string; sentAt: Date | null }[]>`
        select idempotency_key as key, sent_at from outbox
        where rdv_id = any(${rdvIds}) and kind = 'confirmation'`;
      return rows;
    };
    for (let m = 0; m < 180 && (await confirmations()).some((r) => !r.sentAt); m++) await minute();
    const rows = await confirmations();
    expect(rows).toHaveLength(COUNT);
    expect(rows.filter((r) => !r.sentAt)).toEqual([]);
    const delivered = resend.delivered.map((r) => String(r.headers['idempotency-key']));
    expect(delivered.sort()).toEqual(rows.map((r) => r.key).sort());
    expect(new Set(delivered).size).toBe(delivered.length);
    console.info(
      `panne du fournisseur : ${tried} essais refusés en ${OUTAGE_MINUTES} min, rien perdu ; ` +
        `${delivered.length} courriels remis une fois chacun ${(clock.now().getTime() - back) / 60_000} min après son retour`,
    );
  });
});
