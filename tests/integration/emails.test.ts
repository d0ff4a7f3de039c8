import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { book, cancelLink, emailOf, outboxRow, START, useMailSuite } from '../helpers/mail-suite.ts';

// The confirmation and the reminder, as two nodes send them (tests/helpers/mail-suite.ts).
const clock = fixedClock(START);
const suite = useMailSuite(clock, { svc: '9960001' });

describe('confirmation by SMTP', () => {
  it('arrives at once, in French, with the address, the documents, the cancel link and the .ics', async () => {
    const rdv = await book(suite.node, suite.svc, '2026-12-09T09:10:00+01:00', 1);
    expect(await suite.node.guichet.runOutbox()).toBeGreaterThanOrEqual(1);
    const mails = suite.smtp.to(emailOf(1));
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
    expect(text).toContain(suite.documents.slice(0, 60));
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
    const view = await suite.node.api.request(`/api/v1/rdvs/self-service?${q}`);
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
    const download = await suite.node.api.request(`/api/v1/rdvs/self-service/ics?${q}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(download.headers.get('content-disposition')).toContain(`rendez-vous-${rdv.code}.ics`);
    expect(await download.text()).toContain(`UID:rdv-${rdv.id}@rdv.guichet.test`);

    // Sent once: later runs, on any node, send nothing more for it.
    await suite.node.guichet.runOutbox();
    await suite.otherNode.guichet.runOutbox();
    expect(suite.smtp.to(emailOf(1))).toHaveLength(1);
    expect((await outboxRow(suite.node, rdv.id, 'confirmation'))?.sentAt).toBeInstanceOf(Date);
  });

  it('says "vous serez rappelé" for a phone rdv, with the documents to have at hand', async () => {
    await book(suite.node, suite.svc, '2026-12-09T09:30:00+01:00', 2, 'telephone');
    await suite.node.guichet.runOutbox();
    const text = suite.smtp.to(emailOf(2))[0]?.text ?? '';
    expect(text).toContain('par téléphone : vous serez rappelé au numéro indiqué');
    expect(text).not.toContain('Adresse :');
    expect(text).toContain('Documents à avoir sous la main');
  });
});

describe('reminder 48 hours before', () => {
  it('is not sent before start − 48 h, then once, even with two nodes racing', async () => {
    const rdv = await book(suite.node, suite.svc, '2026-12-08T10:50:00+01:00', 3);
    await suite.node.guichet.runOutbox();
    expect(suite.smtp.to(emailOf(3)).map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Rendez-vous confirmé/),
    ]);

    clock.set(new Date('2026-12-06T10:49:59+01:00'));
    await Promise.all([suite.node.guichet.runOutbox(), suite.otherNode.guichet.runOutbox()]);
    expect(suite.smtp.to(emailOf(3))).toHaveLength(1);

    clock.set(new Date('2026-12-06T10:50:00+01:00'));
    // Both nodes poll at the same moment, twice: SKIP LOCKED and the lease give the row to one.
    await Promise.all([
      suite.node.guichet.runOutbox(),
      suite.otherNode.guichet.runOutbox(),
      suite.node.guichet.runOutbox(),
      suite.otherNode.guichet.runOutbox(),
    ]);
    const reminders = suite.smtp.to(emailOf(3)).filter((m) => m.subject?.startsWith('Rappel'));
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
    await Promise.all([suite.node.guichet.runOutbox(), suite.otherNode.guichet.runOutbox()]);
    expect(suite.smtp.to(emailOf(3))).toHaveLength(2);
    expect(await outboxRow(suite.node, rdv.id, 'rappel')).toMatchObject({ attempts: 0, cancelledAt: null });
  });
});
