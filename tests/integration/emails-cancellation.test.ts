import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { signRdvLink } from '../../server/domain/signed-link.ts';
import { fixedClock } from '../../server/infra/clock.ts';
import type { ServiceFixture } from '../helpers/fixtures.ts';
import { book, cancelLink, emailOf, outboxRow, START, useMailSuite } from '../helpers/mail-suite.ts';
import { json } from '../helpers/public-booking.ts';

// Cancelling from the email's link (tests/helpers/mail-suite.ts starts the two nodes and the relay).
const clock = fixedClock(START);
const suite = useMailSuite(clock, { svc: '9960003', noSelfCancel: '9960004' });

async function slotStarts(s: ServiceFixture, date: string): Promise<string[]> {
  const res = await suite.node.api.request(
    `/api/v1/services/${s.code}/slots?motif=${s.motifId}&type=physique&from=${date}&to=${date}`,
  );
  const body = (await res.json()) as { days: { slots: { start: string }[] }[] };
  return body.days.flatMap((d) => d.slots.map((x) => x.start));
}

describe('self-service cancellation', () => {
  it('cancels from the email link: slot freed live, reminder never sent, notice sent', async () => {
    const start = '2026-12-10T09:30:00+01:00';
    const rdv = await book(suite.node, suite.svc, start, 4);
    await suite.node.guichet.runOutbox();
    const link = cancelLink(suite.smtp.to(emailOf(4))[0]!);
    expect(await slotStarts(suite.svc, '2026-12-10')).not.toContain(start);

    const socket = connect(suite.node.url, { transports: ['websocket'] });
    try {
      expect(await socket.emitWithAck('subscribe', { serviceCode: suite.svc.code })).toEqual({ ok: true });
      const freed = new Promise((resolve) =>
        socket.on('slot-freed', (e: { start: string }) => e.start === start && resolve(e)),
      );

      const res = await suite.node.api.request(
        '/api/v1/rdvs/self-service/cancel',
        json({ code: link.code, token: link.token }),
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ code: rdv.code, status: 'annule', cancellable: false });
      expect(await freed).toEqual({
        serviceCode: suite.svc.code,
        start,
        end: '2026-12-10T09:50:00+01:00',
        type: 'physique',
      });
    } finally {
      socket.close();
    }

    // The slot is offered again, the rdv is cancelled by the usager, and it is in the audit log.
    expect(await slotStarts(suite.svc, '2026-12-10')).toContain(start);
    const [r] = await suite.node.deps
      .sql`select status, cancel_reason, cancelled_at from rdvs where id = ${rdv.id}`;
    expect(r).toMatchObject({ status: 'annule', cancelReason: 'usager' });
    const audit = await suite.node.deps
      .sql`select actor, action from audit_log where rdv_id = ${rdv.id} order by id`;
    expect(audit.map((a) => `${a.actor}:${a.action}`)).toEqual(['usager:rdv.cree', 'usager:rdv.annule']);

    // A second click: already cancelled.
    const again = await suite.node.api.request(
      '/api/v1/rdvs/self-service/cancel',
      json({ code: link.code, token: link.token }),
    );
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('RDV_CANCELLED');

    // The notice goes out, with a calendar file that removes the entry.
    await suite.node.guichet.runOutbox();
    const notice = suite.smtp.to(emailOf(4)).find((m) => m.subject?.startsWith('Rendez-vous annulé'));
    expect(notice?.text).toContain(
      `Votre rendez-vous du jeudi 10 décembre 2026 à 09:30 (code ${rdv.code}) avec le service SERVICE DE TEST ${suite.svc.code} a été annulé à votre demande.`,
    );
    const cal = notice!.attachments[0]!.content.toString('utf8');
    expect(cal).toContain('METHOD:CANCEL');
    expect(cal).toContain('STATUS:CANCELLED');
    expect(cal).toContain(`UID:rdv-${rdv.id}@rdv.guichet.test`);

    // The reminder's time comes: nothing is sent.
    clock.set(new Date('2026-12-08T09:30:00+01:00'));
    await Promise.all([suite.node.guichet.runOutbox(), suite.otherNode.guichet.runOutbox()]);
    expect(suite.smtp.to(emailOf(4)).map((m) => m.subject?.split(' ')[0])).toEqual([
      'Rendez-vous',
      'Rendez-vous',
    ]);
    expect((await outboxRow(suite.node, rdv.id, 'rappel'))?.cancelledAt).toBeInstanceOf(Date);
    expect((await outboxRow(suite.node, rdv.id, 'rappel'))?.sentAt).toBeNull();
  });

  it('refuses a wrong or altered token, and an unknown code, with 403 in French', async () => {
    const rdv = await book(suite.node, suite.svc, '2026-12-10T10:10:00+01:00', 5);
    await suite.node.guichet.runOutbox();
    const { token } = cancelLink(suite.smtp.to(emailOf(5))[0]!);
    const altered = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    for (const body of [
      { code: rdv.code, token: altered },
      { code: rdv.code, token: 'nimporte-quoi' },
      { code: rdv.code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ', token },
    ]) {
      const res = await suite.node.api.request('/api/v1/rdvs/self-service/cancel', json(body));
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      const problem = await res.json();
      expect(problem).toMatchObject({ code: 'FORBIDDEN', reason: 'INVALID_LINK' });
      expect(problem.detail).toMatch(/lien n’est pas valide/);
    }
    expect(
      (await suite.node.api.request(`/api/v1/rdvs/self-service?code=${rdv.code}&token=${altered}`)).status,
    ).toBe(403);
    expect(
      (await suite.node.api.request(`/api/v1/rdvs/self-service/ics?code=${rdv.code}&token=${altered}`))
        .status,
    ).toBe(403);
    const [r] = await suite.node.deps.sql`select status from rdvs where id = ${rdv.id}`;
    expect(r?.status).toBe('confirme');
  });

  it('refuses once the rdv has started (422)', async () => {
    const rdv = await book(suite.node, suite.svc, '2026-12-10T10:30:00+01:00', 6);
    await suite.node.guichet.runOutbox();
    const link = cancelLink(suite.smtp.to(emailOf(6))[0]!);
    clock.set(new Date('2026-12-10T10:31:00+01:00'));
    const view = await suite.node.api.request(
      `/api/v1/rdvs/self-service?code=${link.code}&token=${encodeURIComponent(link.token)}`,
    );
    expect((await view.json()).cancellable).toBe(false);
    const res = await suite.node.api.request(
      '/api/v1/rdvs/self-service/cancel',
      json({ code: link.code, token: link.token }),
    );
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe('RDV_STARTED');
    const [r] = await suite.node.deps.sql`select status from rdvs where id = ${rdv.id}`;
    expect(r?.status).toBe('confirme');
  });

  it('is off where the service turned it off: no link in the email, 403 on a forged request', async () => {
    const rdv = await book(suite.node, suite.noSelfCancel!, '2026-12-10T10:50:00+01:00', 7);
    await suite.node.guichet.runOutbox();
    const mail = suite.smtp.to(emailOf(7))[0]!;
    expect(mail.text).not.toContain('/rendez-vous/annuler');
    expect(mail.text).toContain('par téléphone au 03 86 11 11 11');
    // The token exists (it also opens the .ics), but cancelling is refused.
    const token = signRdvLink(suite.node.deps.secrets.signing, { id: rdv.id, code: rdv.code });
    const view = await suite.node.api.request(`/api/v1/rdvs/self-service?code=${rdv.code}&token=${token}`);
    expect(await view.json()).toMatchObject({ cancellable: false, service: { selfCancellation: false } });
    const res = await suite.node.api.request(
      '/api/v1/rdvs/self-service/cancel',
      json({ code: rdv.code, token }),
    );
    expect(res.status).toBe(403);
    const problem = await res.json();
    expect(problem.code).toBe('SELF_CANCELLATION_DISABLED');
    expect(problem.detail).toContain('03 86 11 11 11');
  });
});
