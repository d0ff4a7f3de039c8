import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signRdvLink } from '../../server/domain/signed-link.ts';
import { fixedClock } from '../../server/infra/clock.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture, usager } from '../helpers/fixtures.ts';
import { type ResendFake, startResendFake } from '../helpers/resend-fake.ts';
import { type SmtpCapture, startSmtpCapture } from '../helpers/smtp.ts';

// Thursday 3 December 2026, 10:00 in Paris: the earliest online rdv is Tuesday 8 December.
const START = new Date('2026-12-03T10:00:00+01:00');
const clock = fixedClock(START);
const PUBLIC_URL = 'https://rdv.guichet.test';
const FROM = 'Guichet test <ne-pas-repondre@guichet.test>';
const RESEND_KEY = 're_test_cle';

let smtp: SmtpCapture;
let resend: ResendFake;
// Two nodes on one database and one SMTP relay, as in production behind a load balancer.
let node: TestServer;
let otherNode: TestServer;
let svc: ServiceFixture;
let noSelfCancel: ServiceFixture;
let documents: string;

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

// Recipients are unique to this file: other suites' confirmations share the outbox and may be
// sent by these nodes too, so every assertion looks at its own recipient only.
const emailOf = (n: number) => `usager.courriels.${n}@example.org`;

/** Holds then books a slot through the public API, like the wizard does. */
async function book(server: TestServer, s: ServiceFixture, start: string, n: number, type = 'physique') {
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
      { 'idempotency-key': randomUUID() },
    ),
  );
  expect(res.status).toBe(201);
  const rdv = (await res.json()) as { code: string; start: string };
  const [row] = await server.deps.sql<
    { id: string }[]
  >`select id from rdvs where code = ${rdv.code} and active`;
  return { ...rdv, id: Number(row!.id) };
}

async function slotStarts(s: ServiceFixture, date: string): Promise<string[]> {
  const res = await node.api.request(
    `/api/v1/services/${s.code}/slots?motif=${s.motifId}&type=physique&from=${date}&to=${date}`,
  );
  const body = (await res.json()) as { days: { slots: { start: string }[] }[] };
  return body.days.flatMap((d) => d.slots.map((x) => x.start));
}

/** The cancellation link of an email, and its parameters. */
function cancelLink(mail: ParsedMail): { url: URL; code: string; token: string } {
  const match = /https:\/\/rdv\.guichet\.test\/rendez-vous\/annuler\?\S+/.exec(mail.text ?? '');
  expect(match, 'lien d’annulation dans le courriel').not.toBeNull();
  const url = new URL(match![0]);
  return { url, code: url.searchParams.get('code')!, token: url.searchParams.get('jeton')! };
}

async function outboxRow(rdvId: number, kind: string) {
  const [row] = await node.deps.sql<
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

beforeAll(async () => {
  smtp = await startSmtpCapture();
  resend = await startResendFake(RESEND_KEY);
  const env = { SMTP_URL: smtp.url, MAIL_FROM: FROM, PUBLIC_URL };
  node = await startTestServer({ clock, env });
  otherNode = await startTestServer({ clock, env });
  svc = await createService(node.deps.sql, { code: '9960001' });
  noSelfCancel = await createService(node.deps.sql, { code: '9960002' });
  await node.deps
    .sql`update services set phone = '03 86 00 00 00', email = 'sip.test@example.gouv.fr' where code_principal = '9960001'`;
  await node.deps
    .sql`update services set self_cancellation = false, phone = '03 86 11 11 11' where code_principal = '9960002'`;
  const [m] = await node.deps.sql<{ documents: string }[]>`
    select coalesce(nullif(m.documents, ''), p.documents, '') as documents
    from motifs m left join motifs p on p.id = m.parent_id where m.id = ${svc.motifId}`;
  documents = m!.documents;
  // Emails of the other suites (same database) go out now, so that counts below are ours alone.
  await node.guichet.runOutbox();
});

afterAll(async () => {
  await otherNode?.close();
  await node?.close();
  await smtp?.close();
  await resend?.close();
});

beforeEach(() => clock.set(START));

describe('confirmation by SMTP', () => {
  it('arrives at once, in French, with the address, the documents, the cancel link and the .ics', async () => {
    const rdv = await book(node, svc, '2026-12-09T09:10:00+01:00', 1);
    expect(await node.guichet.runOutbox()).toBeGreaterThanOrEqual(1);
    const mails = smtp.to(emailOf(1));
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.from?.text).toContain('ne-pas-repondre@guichet.test');
    expect(mail.subject).toBe(`Rendez-vous confirmé le mercredi 9 décembre 2026 à 09:10 — code ${rdv.code}`);
    const text = mail.text ?? '';
    expect(text).toContain('Bonjour Monsieur TESTEUR1,');
    expect(text).toContain(`Notez son code : ${rdv.code}`);
    expect(text).toContain('Date : mercredi 9 décembre 2026 à 09:10');
    expect(text).toContain('Durée : 20 minutes');
    expect(text).toContain('Adresse : 1 rue du Test, 58000 NEVERS');
    expect(text).toContain('Documents à apporter');
    expect(text).toContain(documents.slice(0, 60));
    expect(text).toContain('En cas d’empêchement');
    expect(text).toContain('par téléphone au 03 86 00 00 00');
    expect(text).toContain('Vos données personnelles');
    // The HTML says the same, accessibly: a language, a heading, a real link.
    expect(mail.html).toContain('<html lang="fr">');
    expect(mail.html).toContain('<h1');
    const link = cancelLink(mail);
    expect(link.code).toBe(rdv.code);
    expect(mail.html).toContain(`href="${link.url.toString().replaceAll('&', '&amp;')}"`);
    // The calendar file: UTC start, stable UID, nothing about the usager.
    const ics = mail.attachments.find((a) => a.filename === `rendez-vous-${rdv.code}.ics`);
    expect(ics?.contentType).toBe('text/calendar');
    const cal = ics!.content.toString('utf8');
    expect(cal).toContain('BEGIN:VEVENT');
    expect(cal).toContain('DTSTART:20261209T081000Z');
    expect(cal).toContain('DTEND:20261209T083000Z');
    expect(cal).toContain(`UID:rdv-${rdv.id}@rdv.guichet.test`);
    expect(cal).toContain(`Code du rendez-vous : ${rdv.code}`);
    expect(cal).not.toContain('TESTEUR1');
    expect(cal).not.toContain(emailOf(1));

    // The link works: the rdv is shown, and the same .ics can be downloaded.
    const q = `code=${link.code}&token=${encodeURIComponent(link.token)}`;
    const view = await node.api.request(`/api/v1/rdvs/self-service?${q}`);
    expect(view.status).toBe(200);
    expect(await view.json()).toMatchObject({
      code: rdv.code,
      start: '2026-12-09T09:10:00+01:00',
      end: '2026-12-09T09:30:00+01:00',
      type: 'physique',
      status: 'confirme',
      cancellable: true,
      service: { name: 'SERVICE DE TEST 9960001' },
    });
    const download = await node.api.request(`/api/v1/rdvs/self-service/ics?${q}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(download.headers.get('content-disposition')).toContain(`rendez-vous-${rdv.code}.ics`);
    expect(await download.text()).toContain(`UID:rdv-${rdv.id}@rdv.guichet.test`);

    // Sent once: later runs, on any node, send nothing more for it.
    await node.guichet.runOutbox();
    await otherNode.guichet.runOutbox();
    expect(smtp.to(emailOf(1))).toHaveLength(1);
    expect((await outboxRow(rdv.id, 'confirmation'))?.sentAt).toBeInstanceOf(Date);
  });

  it('says "vous serez rappelé" for a phone rdv, with the documents to have at hand', async () => {
    await book(node, svc, '2026-12-09T09:30:00+01:00', 2, 'telephone');
    await node.guichet.runOutbox();
    const text = smtp.to(emailOf(2))[0]?.text ?? '';
    expect(text).toContain('par téléphone : vous serez rappelé au numéro indiqué');
    expect(text).not.toContain('Adresse :');
    expect(text).toContain('Documents à avoir sous la main');
  });
});

describe('reminder 48 hours before', () => {
  it('is not sent before start − 48 h, then once, even with two nodes racing', async () => {
    const rdv = await book(node, svc, '2026-12-08T10:50:00+01:00', 3);
    await node.guichet.runOutbox();
    expect(smtp.to(emailOf(3)).map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Rendez-vous confirmé/),
    ]);

    clock.set(new Date('2026-12-06T10:49:59+01:00'));
    await Promise.all([node.guichet.runOutbox(), otherNode.guichet.runOutbox()]);
    expect(smtp.to(emailOf(3))).toHaveLength(1);

    clock.set(new Date('2026-12-06T10:50:00+01:00'));
    // Both nodes poll at the same moment, twice: SKIP LOCKED and the lease give the row to one.
    await Promise.all([
      node.guichet.runOutbox(),
      otherNode.guichet.runOutbox(),
      node.guichet.runOutbox(),
      otherNode.guichet.runOutbox(),
    ]);
    const reminders = smtp.to(emailOf(3)).filter((m) => m.subject?.startsWith('Rappel'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.subject).toBe(
      `Rappel : rendez-vous le mardi 8 décembre 2026 à 10:50 — code ${rdv.code}`,
    );
    expect(reminders[0]!.text).toContain(
      'Nous vous rappelons votre rendez-vous du mardi 8 décembre 2026 à 10:50.',
    );
    expect(reminders[0]!.text).toContain('Adresse : 1 rue du Test, 58000 NEVERS');
    expect(cancelLink(reminders[0]!).code).toBe(rdv.code);

    clock.advance(3_600_000);
    await Promise.all([node.guichet.runOutbox(), otherNode.guichet.runOutbox()]);
    expect(smtp.to(emailOf(3))).toHaveLength(2);
    expect(await outboxRow(rdv.id, 'rappel')).toMatchObject({ attempts: 0, cancelledAt: null });
  });
});

describe('self-service cancellation', () => {
  it('cancels from the email link: slot freed live, reminder never sent, notice sent', async () => {
    const start = '2026-12-10T09:30:00+01:00';
    const rdv = await book(node, svc, start, 4);
    await node.guichet.runOutbox();
    const link = cancelLink(smtp.to(emailOf(4))[0]!);
    expect(await slotStarts(svc, '2026-12-10')).not.toContain(start);

    const socket = connect(node.url, { transports: ['websocket'] });
    try {
      expect(await socket.emitWithAck('subscribe', { serviceCode: svc.code })).toEqual({ ok: true });
      const freed = new Promise((resolve) =>
        socket.on('slot-freed', (e: { start: string }) => e.start === start && resolve(e)),
      );

      const res = await node.api.request(
        '/api/v1/rdvs/self-service/cancel',
        json({ code: link.code, token: link.token }),
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ code: rdv.code, status: 'annule', cancellable: false });
      expect(await freed).toEqual({
        serviceCode: svc.code,
        start,
        end: '2026-12-10T09:50:00+01:00',
        type: 'physique',
      });
    } finally {
      socket.close();
    }

    // The slot is offered again, the rdv is cancelled by the usager, and it is in the audit log.
    expect(await slotStarts(svc, '2026-12-10')).toContain(start);
    const [r] = await node.deps
      .sql`select status, cancel_reason, cancelled_at from rdvs where id = ${rdv.id}`;
    expect(r).toMatchObject({ status: 'annule', cancelReason: 'usager' });
    const audit = await node.deps
      .sql`select actor, action from audit_log where rdv_id = ${rdv.id} order by id`;
    expect(audit.map((a) => `${a.actor}:${a.action}`)).toEqual(['usager:rdv.cree', 'usager:rdv.annule']);

    // A second click: already cancelled.
    const again = await node.api.request(
      '/api/v1/rdvs/self-service/cancel',
      json({ code: link.code, token: link.token }),
    );
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('RDV_CANCELLED');

    // The notice goes out, with a calendar file that removes the entry.
    await node.guichet.runOutbox();
    const notice = smtp.to(emailOf(4)).find((m) => m.subject?.startsWith('Rendez-vous annulé'));
    expect(notice?.text).toContain(
      `Votre rendez-vous du jeudi 10 décembre 2026 à 09:30 (code ${rdv.code}) avec le service SERVICE DE TEST 9960001 a été annulé à votre demande.`,
    );
    const cal = notice!.attachments[0]!.content.toString('utf8');
    expect(cal).toContain('METHOD:CANCEL');
    expect(cal).toContain('STATUS:CANCELLED');
    expect(cal).toContain(`UID:rdv-${rdv.id}@rdv.guichet.test`);

    // The reminder's time comes: nothing is sent.
    clock.set(new Date('2026-12-08T09:30:00+01:00'));
    await Promise.all([node.guichet.runOutbox(), otherNode.guichet.runOutbox()]);
    expect(smtp.to(emailOf(4)).map((m) => m.subject?.split(' ')[0])).toEqual(['Rendez-vous', 'Rendez-vous']);
    expect((await outboxRow(rdv.id, 'rappel'))?.cancelledAt).toBeInstanceOf(Date);
    expect((await outboxRow(rdv.id, 'rappel'))?.sentAt).toBeNull();
  });

  it('refuses a wrong or altered token, and an unknown code, with 403 in French', async () => {
    const rdv = await book(node, svc, '2026-12-10T10:10:00+01:00', 5);
    await node.guichet.runOutbox();
    const { token } = cancelLink(smtp.to(emailOf(5))[0]!);
    const altered = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    for (const body of [
      { code: rdv.code, token: altered },
      { code: rdv.code, token: 'nimporte-quoi' },
      { code: rdv.code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ', token },
    ]) {
      const res = await node.api.request('/api/v1/rdvs/self-service/cancel', json(body));
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      const problem = await res.json();
      expect(problem).toMatchObject({ code: 'FORBIDDEN', reason: 'INVALID_LINK' });
      expect(problem.detail).toMatch(/lien n’est pas valide/);
    }
    expect(
      (await node.api.request(`/api/v1/rdvs/self-service?code=${rdv.code}&token=${altered}`)).status,
    ).toBe(403);
    expect(
      (await node.api.request(`/api/v1/rdvs/self-service/ics?code=${rdv.code}&token=${altered}`)).status,
    ).toBe(403);
    const [r] = await node.deps.sql`select status from rdvs where id = ${rdv.id}`;
    expect(r?.status).toBe('confirme');
  });

  it('refuses once the rdv has started (422)', async () => {
    const rdv = await book(node, svc, '2026-12-10T10:30:00+01:00', 6);
    await node.guichet.runOutbox();
    const link = cancelLink(smtp.to(emailOf(6))[0]!);
    clock.set(new Date('2026-12-10T10:31:00+01:00'));
    const view = await node.api.request(
      `/api/v1/rdvs/self-service?code=${link.code}&token=${encodeURIComponent(link.token)}`,
    );
    expect((await view.json()).cancellable).toBe(false);
    const res = await node.api.request(
      '/api/v1/rdvs/self-service/cancel',
      json({ code: link.code, token: link.token }),
    );
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe('RDV_STARTED');
    const [r] = await node.deps.sql`select status from rdvs where id = ${rdv.id}`;
    expect(r?.status).toBe('confirme');
  });

  it('is off where the service turned it off: no link in the email, 403 on a forged request', async () => {
    const rdv = await book(node, noSelfCancel, '2026-12-10T10:50:00+01:00', 7);
    await node.guichet.runOutbox();
    const mail = smtp.to(emailOf(7))[0]!;
    expect(mail.text).not.toContain('/rendez-vous/annuler');
    expect(mail.text).toContain('par téléphone au 03 86 11 11 11');
    // The token exists (it also opens the .ics), but cancelling is refused.
    const token = signRdvLink(node.deps.secrets.signing, { id: rdv.id, code: rdv.code });
    const view = await node.api.request(`/api/v1/rdvs/self-service?code=${rdv.code}&token=${token}`);
    expect(await view.json()).toMatchObject({ cancellable: false, service: { selfCancellation: false } });
    const res = await node.api.request('/api/v1/rdvs/self-service/cancel', json({ code: rdv.code, token }));
    expect(res.status).toBe(403);
    const problem = await res.json();
    expect(problem.code).toBe('SELF_CANCELLATION_DISABLED');
    expect(problem.detail).toContain('03 86 11 11 11');
  });
});

describe('transport failures', () => {
  it('retries a refused send with backoff and delivers it later, once', async () => {
    smtp.refuseNext(1, 451);
    const rdv = await book(node, svc, '2026-12-11T09:10:00+01:00', 8);
    await node.guichet.runOutbox();
    expect(smtp.to(emailOf(8))).toHaveLength(0);
    const failed = await outboxRow(rdv.id, 'confirmation');
    expect(failed).toMatchObject({ attempts: 1, sentAt: null, failedAt: null });
    expect(failed!.lastError).toMatch(/451/);
    expect(failed!.lastError).not.toContain(emailOf(8)); // no personal data kept with the error
    expect(failed!.runAt.getTime()).toBe(START.getTime() + 60_000);

    clock.advance(59_000);
    await node.guichet.runOutbox();
    expect(smtp.to(emailOf(8))).toHaveLength(0);

    clock.advance(1_000);
    await Promise.all([node.guichet.runOutbox(), otherNode.guichet.runOutbox()]);
    expect(smtp.to(emailOf(8))).toHaveLength(1);
    expect(await outboxRow(rdv.id, 'confirmation')).toMatchObject({ attempts: 1, lastError: null });
  });

  it('doubles the delay at each failure', async () => {
    smtp.refuseNext(2, 451);
    const rdv = await book(node, svc, '2026-12-11T09:30:00+01:00', 9);
    await node.guichet.runOutbox();
    clock.advance(60_000);
    await node.guichet.runOutbox();
    const second = await outboxRow(rdv.id, 'confirmation');
    expect(second?.attempts).toBe(2);
    expect(second!.runAt.getTime()).toBe(START.getTime() + 60_000 + 120_000);
    clock.advance(120_000);
    await node.guichet.runOutbox();
    expect(smtp.to(emailOf(9))).toHaveLength(1);
  });

  it('gives up at once on a permanent refusal (5xx)', async () => {
    smtp.refuseNext(1, 550);
    const rdv = await book(node, svc, '2026-12-11T09:50:00+01:00', 10);
    await node.guichet.runOutbox();
    const row = await outboxRow(rdv.id, 'confirmation');
    expect(row).toMatchObject({ attempts: 1, sentAt: null });
    expect(row!.failedAt).toBeInstanceOf(Date);
    expect(row!.lastError).toContain('[adresse masquée]');
    clock.advance(86_400_000);
    await node.guichet.runOutbox();
    expect(smtp.to(emailOf(10))).toHaveLength(0);
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
    const rdv = await book(viaResend, svc, '2026-12-14T09:10:00+01:00', 11);
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
    const rdv = await book(viaResend, svc, '2026-12-14T09:30:00+01:00', 12);
    await viaResend.guichet.runOutbox();
    expect(resend.delivered.filter((r) => r.body.to.includes(emailOf(12)))).toHaveLength(0);
    expect(await outboxRow(rdv.id, 'confirmation')).toMatchObject({ attempts: 1 });
    clock.advance(60_000);
    await viaResend.guichet.runOutbox();
    const tries = resend.requests.filter((r) => r.body.to.includes(emailOf(12)));
    expect(tries.map((r) => r.headers['idempotency-key'])).toEqual([
      `rdv:${rdv.id}:confirmation`,
      `rdv:${rdv.id}:confirmation`,
    ]);
    expect(resend.delivered.filter((r) => r.body.to.includes(emailOf(12)))).toHaveLength(1);
    expect((await outboxRow(rdv.id, 'confirmation'))?.sentAt).toBeInstanceOf(Date);
  });
});

describe('local transport and /api/dev/mails', () => {
  it('keeps emails in the database; the list answers 404 outside demo mode', async () => {
    const local = await startTestServer({ clock, env: { PUBLIC_URL } });
    try {
      expect(local.deps.mailer.transport).toBe('local');
      const rdv = await book(local, svc, '2026-12-14T09:50:00+01:00', 13);
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
});
