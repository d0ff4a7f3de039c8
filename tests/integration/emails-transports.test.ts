import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { book, emailOf, FROM, outboxRow, PUBLIC_URL, START, useMailSuite } from '../helpers/mail-suite.ts';
import { type ResendFake, startResendFake } from '../helpers/resend-fake.ts';

// How emails leave: retries over SMTP, Resend's API, and the local transport of the demo.
const RESEND_KEY = 're_test_cle';
let resend: ResendFake;
const clock = fixedClock(START);
const suite = useMailSuite(clock, { svc: '9960005' });

beforeAll(async () => {
  resend = await startResendFake(RESEND_KEY);
});
afterAll(async () => {
  await resend?.close();
});

describe('transport failures', () => {
  it('retries a refused send with backoff and delivers it later, once', async () => {
    suite.smtp.refuseNext(1, 451);
    const rdv = await book(suite.node, suite.svc, '2026-12-11T09:10:00+01:00', 8);
    await suite.node.guichet.runOutbox();
    expect(suite.smtp.to(emailOf(8))).toHaveLength(0);
    const failed = await outboxRow(suite.node, rdv.id, 'confirmation');
    expect(failed).toMatchObject({ attempts: 1, sentAt: null, failedAt: null });
    expect(failed!.lastError).toMatch(/451/);
    expect(failed!.lastError).not.toContain(emailOf(8)); // no personal data kept with the error
    expect(failed!.runAt.getTime()).toBe(START.getTime() + 60_000);

    clock.advance(59_000);
    await suite.node.guichet.runOutbox();
    expect(suite.smtp.to(emailOf(8))).toHaveLength(0);

    clock.advance(1_000);
    await Promise.all([suite.node.guichet.runOutbox(), suite.otherNode.guichet.runOutbox()]);
    expect(suite.smtp.to(emailOf(8))).toHaveLength(1);
    expect(await outboxRow(suite.node, rdv.id, 'confirmation')).toMatchObject({
      attempts: 1,
      lastError: null,
    });
  });

  it('doubles the delay at each failure', async () => {
    suite.smtp.refuseNext(2, 451);
    const rdv = await book(suite.node, suite.svc, '2026-12-11T09:30:00+01:00', 9);
    await suite.node.guichet.runOutbox();
    clock.advance(60_000);
    await suite.node.guichet.runOutbox();
    const second = await outboxRow(suite.node, rdv.id, 'confirmation');
    expect(second?.attempts).toBe(2);
    expect(second!.runAt.getTime()).toBe(START.getTime() + 60_000 + 120_000);
    clock.advance(120_000);
    await suite.node.guichet.runOutbox();
    expect(suite.smtp.to(emailOf(9))).toHaveLength(1);
  });

  it('gives up at once on a permanent refusal (5xx)', async () => {
    suite.smtp.refuseNext(1, 550);
    const rdv = await book(suite.node, suite.svc, '2026-12-11T09:50:00+01:00', 10);
    await suite.node.guichet.runOutbox();
    const row = await outboxRow(suite.node, rdv.id, 'confirmation');
    expect(row).toMatchObject({ attempts: 1, sentAt: null });
    expect(row!.failedAt).toBeInstanceOf(Date);
    expect(row!.lastError).toContain('[adresse masquée]');
    clock.advance(86_400_000);
    await suite.node.guichet.runOutbox();
    expect(suite.smtp.to(emailOf(10))).toHaveLength(0);
  });
});

describe('Resend', () => {
  let viaResend: TestServer;
  beforeAll(async () => {
    viaResend = await startTestServer({
      clock,
      env: { RESEND_API_KEY: RESEND_KEY, RESEND_API_URL: resend.url, MAIL_FROM: FROM, PUBLIC_URL },
    });
  });
  afterAll(() => viaResend?.close());

  it('posts to /emails with the Bearer key, the Idempotency-Key header and the .ics in base64', async () => {
    const rdv = await book(viaResend, suite.svc, '2026-12-14T09:10:00+01:00', 11);
    await viaResend.guichet.runOutbox();
    const requests = resend.requests.filter((r) => r.body.to.includes(emailOf(11)));
    expect(requests).toHaveLength(1);
    const req = requests[0]!;
    expect(req.headers.authorization).toBe(`Bearer ${RESEND_KEY}`);
    expect(req.headers['idempotency-key']).toBe(`rdv:${rdv.id}:confirmation`);
    expect(req.body).toMatchObject({
      from: FROM,
      to: [emailOf(11)],
      subject: `Rendez-vous confirmé le lundi 14 décembre 2026 à 09:10 — code ${rdv.code}`,
    });
    expect(req.body.text).toContain('Adresse : 1 rue du Test, 58000 NEVERS');
    expect(req.body.html).toContain('<html lang="fr">');
    const [att] = req.body.attachments ?? [];
    expect(att).toMatchObject({
      filename: `rendez-vous-${rdv.code}.ics`,
      content_type: 'text/calendar; charset=utf-8',
    });
    expect(Buffer.from(att!.content, 'base64').toString('utf8')).toContain('DTSTART:20261214T081000Z');
  });

  it('retries a 5xx with the same Idempotency-Key, and Resend delivers once', async () => {
    resend.failNext(1, 500);
    const rdv = await book(viaResend, suite.svc, '2026-12-14T09:30:00+01:00', 12);
    await viaResend.guichet.runOutbox();
    expect(resend.delivered.filter((r) => r.body.to.includes(emailOf(12)))).toHaveLength(0);
    expect(await outboxRow(suite.node, rdv.id, 'confirmation')).toMatchObject({ attempts: 1 });
    clock.advance(60_000);
    await viaResend.guichet.runOutbox();
    const tries = resend.requests.filter((r) => r.body.to.includes(emailOf(12)));
    expect(tries.map((r) => r.headers['idempotency-key'])).toEqual([
      `rdv:${rdv.id}:confirmation`,
      `rdv:${rdv.id}:confirmation`,
    ]);
    expect(resend.delivered.filter((r) => r.body.to.includes(emailOf(12)))).toHaveLength(1);
    expect((await outboxRow(suite.node, rdv.id, 'confirmation'))?.sentAt).toBeInstanceOf(Date);
  });
});

describe('local transport and /api/dev/mails', () => {
  it('keeps emails in the database; the list answers 404 outside demo mode', async () => {
    const local = await startTestServer({ clock, env: { PUBLIC_URL } });
    try {
      expect(local.deps.mailer.transport).toBe('local');
      const rdv = await book(local, suite.svc, '2026-12-14T09:50:00+01:00', 13);
      await local.guichet.runOutbox();
      const rows = await local.deps
        .sql`select to_address, subject, attachments from local_mails where to_address = ${emailOf(13)}`;
      expect(rows).toHaveLength(1);
      expect(rows[0]!.subject).toContain(rdv.code);
      expect(rows[0]!.attachments).toEqual([
        {
          filename: `rendez-vous-${rdv.code}.ics`,
          contentType: 'text/calendar; charset=utf-8',
          size: expect.any(Number),
        },
      ]);
      const res = await local.api.request('/api/dev/mails');
      expect(res.status).toBe(404);
    } finally {
      await local.close();
    }
  });

  it('lists them newest first in demo mode, to a browser of this machine only', async () => {
    // Demo mode without seeding: the flag is all the route looks at.
    const demo = await startTestServer({ clock, env: { PUBLIC_URL, TRUST_PROXY: '1' } });
    try {
      (demo.deps.config as { demo: boolean }).demo = true;
      // Through a proxy, from elsewhere: the working cancel links must not be shown.
      const remote = await fetch(`${demo.url}/api/dev/mails`, {
        headers: { 'x-forwarded-for': '203.0.113.5' },
      });
      expect(remote.status).toBe(404);
      // A server-rendered page for a distant visitor is refused the same way.
      const rendered = await demo.api.fetch(new Request('http://localhost/api/dev/mails'), {
        clientAddress: '203.0.113.6',
      });
      expect(rendered.status).toBe(404);
      const res = await fetch(`${demo.url}/api/dev/mails`);
      expect(res.status).toBe(200);
      const { mails } = (await res.json()) as {
        mails: { to: string; subject: string; text: string; html: string; sentAt: string; id: number }[];
      };
      const ours = mails.filter((m) => m.to === emailOf(13));
      expect(ours).toHaveLength(1);
      expect(ours[0]).toMatchObject({ id: expect.any(Number), sentAt: START.toISOString() });
      expect(ours[0]!.text).toContain('Date : lundi 14 décembre 2026 à 09:50');
      const times = mails.map((m) => m.sentAt);
      expect([...times].sort().reverse()).toEqual(times);
    } finally {
      await demo.close();
    }
  });

  it('behind a local proxy that TRUST_PROXY does not declare, only to a signed-in administrateur', async () => {
    // TRUST_PROXY=0 while a proxy on this machine forwards everybody: each request comes from
    // 127.0.0.1 with an X-Forwarded-For, and must not pass for a browser of this machine.
    const demo = await startTestServer({ clock, env: { PUBLIC_URL } });
    try {
      (demo.deps.config as { demo: boolean }).demo = true;
      const proxied = { 'x-forwarded-for': '203.0.113.7' };
      expect((await fetch(`${demo.url}/api/dev/mails`, { headers: proxied })).status).toBe(404);
      const admin = await createAgent(demo.deps.sql, { name: 'admin', administrateur: true });
      const chef = await createAgent(demo.deps.sql, {
        name: 'chef',
        on: [{ serviceId: suite.svc.serviceId, profile: 'chef' }],
      });
      const asChef = await signIn(demo, chef.login);
      expect((await asChef.call('/api/dev/mails', { headers: proxied })).status).toBe(404);
      const asAdmin = await signIn(demo, admin.login);
      const res = await asAdmin.call('/api/dev/mails', { headers: proxied });
      expect(res.status).toBe(200);
      expect((await res.json()).mails.length).toBeGreaterThan(0);
      // Outside demo mode, not even an administrateur.
      (demo.deps.config as { demo: boolean }).demo = false;
      expect((await asAdmin.call('/api/dev/mails', { headers: proxied })).status).toBe(404);
    } finally {
      await demo.close();
    }
  });
});
