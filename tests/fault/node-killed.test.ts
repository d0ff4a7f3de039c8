import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { followSlots } from '../../src/lib/realtime/slot-events.ts';
import { pool } from '../helpers/contention.ts';
import { scratchDatabase } from '../helpers/db.ts';
import { attemptBooking, offered } from '../helpers/faults.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';
import { startHaproxy } from '../helpers/haproxy.ts';
import { type NodeProcess, startNode } from '../helpers/process.ts';
import { type ResendFake, startResendFake } from '../helpers/resend-fake.ts';

/*
 * One of two nodes behind HAProxy is killed (SIGKILL: no goodbye) while browsers watch a service
 * and while it is in the middle of sending an email. Its browsers reconnect through HAProxy to the
 * other node and catch up (the browsers' own code: followSlots); the email it was sending is sent
 * by the other node once its lease runs out, and the provider delivers every email once (each
 * row's idempotency key).
 */
const CLIENTS = 40;
const BOOKINGS = 8;
let db: Awaited<ReturnType<typeof scratchDatabase>>;
let resend: ResendFake;
let a: NodeProcess;
let b: NodeProcess;
let proxy: Awaited<ReturnType<typeof startHaproxy>>;
let svc: ServiceFixture;

beforeAll(async () => {
  db = await scratchDatabase();
  resend = await startResendFake(['cle-noeud-a', 'cle-noeud-b']);
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: inject('redisUrl'),
    DEMO: 'false',
    TRUST_PROXY: '1',
    RESEND_API_URL: resend.url,
    MAIL_POLL_MS: '100',
    MAIL_LEASE_SECONDS: '2',
  };
  // A first: it migrates the blank database and loads the referential.
  a = await startNode({ ...env, RESEND_API_KEY: 'cle-noeud-a' });
  b = await startNode({ ...env, RESEND_API_KEY: 'cle-noeud-b' });
  proxy = await startHaproxy([a.url, b.url]);
  svc = await createService(db.sql, {
    code: '9780001',
    guichets: [{ name: 'G', plages: [1, 2, 3, 4, 5].map((d) => [d, '08:00', '18:00']) }],
  });
}, 180_000);

afterAll(async () => {
  await proxy?.stop();
  await Promise.all([a?.stop(), b?.stop()]);
  await resend?.close();
  await db?.drop();
});

/** What one browser knows: live changes heard, resyncs, connection state. */
function browser() {
  const self = { connected: false, drops: 0, heard: new Set<string>(), resyncs: 0, stop: () => {} };
  self.stop = followSlots(
    svc.code,
    {
      onChange: (e) => void (e.kind === 'taken' && self.heard.add(e.start)),
      onResync: () => void self.resyncs++,
      onStatus: (connected) => {
        if (self.connected && !connected) self.drops++;
        self.connected = connected;
      },
    },
    proxy.url,
  );
  return self;
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`attendu en vain : ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('one node killed', () => {
  it('its browsers reconnect to the other node and catch up; its email is sent once by the other', async () => {
    const starts = await offered(proxy.url, svc);
    const browsers = Array.from({ length: CLIENTS }, browser);
    try {
      await until('navigateurs connectés', () => browsers.every((w) => w.connected));

      // The provider hangs: each node is in the middle of a send when A dies.
      resend.pause();
      const booked = await pool(BOOKINGS, 4, (i) =>
        attemptBooking(proxy.url, svc, starts[i]!, i, `usager.panne.${i}@example.org`),
      );
      expect(booked.map((r) => r.book)).toEqual(booked.map(() => 201));
      await until('un envoi en cours sur A', () => resend.pending().some((r) => r.apiKey === 'cle-noeud-a'));
      const inFlightOnA = resend.pending().filter((r) => r.apiKey === 'cle-noeud-a');

      await a.kill();
      // A booking on B right away: browsers that were on A are still away when it happens.
      const whileAway = await attemptBooking(b.url, svc, starts[50]!, 50, 'usager.panne.50@example.org');
      expect(whileAway.book).toBe(201);
      const taken = whileAway.code && starts[50]!;

      // Every browser is connected again, through HAProxy, to B…
      await until('reconnexions', () => browsers.every((w) => w.connected));
      const dropped = browsers.filter((w) => w.drops > 0);
      expect(dropped.length).toBeGreaterThan(0);
      expect(dropped.length).toBeLessThan(CLIENTS);
      // …and knows of the booking it may have missed: heard live, replayed by connection-state
      // recovery, or told to read the slots again.
      for (const w of browsers) expect(w.heard.has(taken!) || w.resyncs > 0).toBe(true);
      // A booking now reaches all of them live.
      const after = await attemptBooking(proxy.url, svc, starts[60]!, 60, 'usager.panne.60@example.org');
      expect(after.book).toBe(201);
      await until('événement après reconnexion', () => browsers.every((w) => w.heard.has(starts[60]!)));

      // The provider recovers: B sends its own emails and, once A's lease runs out, A's too.
      resend.resume();
      const ours = () =>
        resend.delivered.filter((r) => r.body.to.some((to) => to.startsWith('usager.panne.')));
      const emails = BOOKINGS + 2;
      const unsent = async () => {
        const [row] = await db.sql<{ n: number }[]>`
          select count(*)::int as n from outbox where kind = 'confirmation' and sent_at is null`;
        return row!.n;
      };
      await until('chaque confirmation marquée envoyée', async () => (await unsent()) === 0);
      const keys = ours().map((r) => String(r.headers['idempotency-key']));
      expect(keys).toHaveLength(emails);
      expect(new Set(keys).size).toBe(emails);
      // A's interrupted send went again from B, with the same key, and was delivered once.
      for (const lost of inFlightOnA) {
        const key = lost.headers['idempotency-key'];
        const attempts = resend.requests.filter((r) => r.headers['idempotency-key'] === key);
        expect(attempts.map((r) => r.apiKey)).toEqual(['cle-noeud-a', 'cle-noeud-b']);
      }
      console.info(
        `nœud tué : ${dropped.length}/${CLIENTS} navigateurs reconnectés à l’autre, ` +
          `${inFlightOnA.length} envoi(s) repris par B, ${emails} confirmations remises une fois`,
      );
    } finally {
      for (const w of browsers) w.stop();
    }
  });
});
