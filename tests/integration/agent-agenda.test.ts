import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture, usager } from '../helpers/fixtures.ts';
import { waitFor } from '../helpers/live.ts';

// Thursday 3 December 2026, 10:00 in Paris.
const clock = fixedClock(new Date('2026-12-03T10:00:00+01:00'));
let server: TestServer;
let svc: ServiceFixture;
let agentLogin: string;
type Client = Awaited<ReturnType<typeof signIn>>;
let me: Client;

const at = (day: string, time: string) => `${day}T${time}:00+01:00`;

beforeAll(async () => {
  server = await startTestServer({ clock });
  svc = await createService(server.deps.sql, {
    code: '9820001',
    guichets: [
      {
        name: 'Guichet principal',
        telephone: false,
        plages: [1, 2, 3, 4, 5].map((d) => [d, '08:30', '12:00']),
      },
      { name: 'Guichet fermé', open: false, plages: [[4, '08:30', '12:00']] },
    ],
  });
  ({ login: agentLogin } = await createAgent(server.deps.sql, {
    on: [{ serviceId: svc.serviceId, profile: 'agent' }],
  }));
  me = await signIn(server, agentLogin);
});
afterAll(() => server.close());

function booking(overrides: Record<string, unknown> = {}) {
  return {
    guichetId: svc.guichetIds[0],
    motifId: svc.motifId,
    type: 'physique',
    start: at('2026-12-04', '09:00'),
    end: at('2026-12-04', '09:20'),
    usager: usager(1),
    precisions: 'Question sur un investissement locatif',
    ...overrides,
  };
}

const book = (body: Record<string, unknown>) => me.post(`/api/v1/agent/services/${svc.code}/rdvs`, body);

describe('dashboard and agenda', () => {
  it('lists the services of the zone with the actions the profile allows', async () => {
    const res = await me.get('/api/v1/agent/services');
    expect(res.status).toBe(200);
    const { services } = await res.json();
    expect(services).toEqual([
      expect.objectContaining({
        code: svc.code,
        actions: expect.arrayContaining(['agenda.read', 'rdv.create', 'rdv.book', 'rdv.arrival']),
      }),
    ]);
    expect(services[0].actions).not.toContain('service.configure');
  });

  it('answers the agenda of a week: guichets, shaded plages, rdvs and holds, what I may do', async () => {
    const res = await me.get(`/api/v1/agent/services/${svc.code}/agenda?from=2026-12-07&to=2026-12-13`);
    expect(res.status).toBe(200);
    const agenda = await res.json();
    expect(agenda.guichets.map((g: { name: string; open: boolean }) => [g.name, g.open])).toEqual([
      ['Guichet principal', true],
      ['Guichet fermé', false],
    ]);
    // Five mornings on the principal guichet, one on the closed one.
    expect(
      agenda.plages.filter((p: { guichetId: number }) => p.guichetId === svc.guichetIds[0]),
    ).toHaveLength(5);
    expect(agenda.plages[0]).toMatchObject({
      start: '2026-12-07T08:30:00+01:00',
      end: '2026-12-07T12:00:00+01:00',
    });
    expect(agenda.can).toEqual({
      create: true,
      arrival: true,
      contreAppel: true,
      replan: true,
      cancel: true,
    });
    expect(agenda.today).toBe('2026-12-03');
    expect(agenda.motifs.length).toBeGreaterThan(5);
  });

  it('refuses a period that is too long or upside down, in French', async () => {
    const long = await me.get(`/api/v1/agent/services/${svc.code}/agenda?from=2026-12-01&to=2027-01-31`);
    expect(long.status).toBe(422);
    expect((await long.json()).detail).toMatch(/31 jours au plus/);
    expect(
      (await me.get(`/api/v1/agent/services/${svc.code}/agenda?from=2026-12-09&to=2026-12-01`)).status,
    ).toBe(422);
  });
});

describe('Créer un RDV (agent rattaché)', () => {
  it('books a plain slot tomorrow (immediate booking is allowed to the service’s agents)', async () => {
    const res = await book(booking());
    expect(res.status).toBe(201);
    const rdv = await res.json();
    expect(rdv).toMatchObject({
      code: expect.stringMatching(/^[A-Z]{6}$/),
      canal: 'agentService',
      status: 'confirme',
    });
    expect(rdv.usager.nomUsage).toBe('TESTEUR1');
  });

  it('lists the warnings to acknowledge, then books outside the plages once they are', async () => {
    const outside = booking({
      start: at('2026-12-04', '14:00'),
      end: at('2026-12-04', '14:40'),
      usager: usager(2),
    });
    const res = await book(outside);
    expect(res.status).toBe(422);
    const problem = await res.json();
    expect(problem.code).toBe('ACKNOWLEDGEMENT_REQUIRED');
    expect(problem.warnings.map((w: { code: string }) => w.code).sort()).toEqual([
      'DURATION_DIFFERS',
      'OUTSIDE_PLAGES',
    ]);
    expect(problem.warnings[0].message).toMatch(/Confirmez/);
    const forced = await book({ ...outside, acknowledge: ['OUTSIDE_PLAGES', 'DURATION_DIFFERS'] });
    expect(forced.status).toBe(201);
    const [audit] = await server.deps.sql<{ details: { avertissementsConfirmes: string[] } }[]>`
      select details from audit_log where rdv_id = ${(await forced.json()).id} and action = 'rdv.cree'`;
    expect(audit!.details.avertissementsConfirmes.sort()).toEqual(['DURATION_DIFFERS', 'OUTSIDE_PLAGES']);
  });

  it('warns when the usager (by numéro fiscal) already has a future rdv in the service', async () => {
    const res = await book(booking({ start: at('2026-12-04', '10:00'), end: at('2026-12-04', '10:20') }));
    expect(res.status).toBe(422);
    expect((await res.json()).warnings.map((w: { code: string }) => w.code)).toEqual([
      'USAGER_HAS_FUTURE_RDV',
    ]);
  });

  it('never books on a closed guichet, over another rdv, before now or beyond 60 days', async () => {
    const closed = await book(
      booking({
        guichetId: svc.guichetIds[1],
        start: at('2026-12-10', '09:00'),
        end: at('2026-12-10', '09:20'),
        acknowledge: ['OUTSIDE_PLAGES'],
      }),
    );
    expect(closed.status).toBe(422);
    expect(await closed.json()).toMatchObject({
      code: 'GUICHET_CLOSED',
      detail: expect.stringMatching(/fermé/),
    });
    const overlap = await book(
      booking({
        start: at('2026-12-04', '09:10'),
        end: at('2026-12-04', '09:30'),
        usager: usager(3),
        acknowledge: ['OUTSIDE_PLAGES', 'DURATION_DIFFERS'],
      }),
    );
    expect(overlap.status).toBe(409);
    expect((await overlap.json()).code).toBe('SLOT_TAKEN');
    const past = await book(
      booking({ start: at('2026-12-02', '09:00'), end: at('2026-12-02', '09:20'), usager: usager(4) }),
    );
    expect((await past.json()).code).toBe('OUTSIDE_BOOKING_WINDOW');
    const far = await book(
      booking({ start: at('2027-02-05', '09:00'), end: at('2027-02-05', '09:20'), usager: usager(4) }),
    );
    expect(far.status).toBe(422);
    expect((await far.json()).detail).toMatch(/60 jours/);
    const upside = await book(
      booking({ start: at('2026-12-07', '09:20'), end: at('2026-12-07', '09:00'), usager: usager(4) }),
    );
    expect((await upside.json()).code).toBe('END_BEFORE_START');
  });
});

describe('fiche RDV: arrival, contre-appel, replanning, cancellation', () => {
  let socket: Socket;
  beforeAll(async () => {
    socket = connect(`${server.url}/agent`, {
      transports: ['websocket'],
      extraHeaders: { origin: server.url, cookie: me.cookie },
    });
    expect(await socket.emitWithAck('join', { serviceCode: svc.code })).toEqual({ ok: true });
  });
  afterAll(() => {
    socket.close();
  });

  async function newRdv(day: string, time: string, n: number) {
    const [h, m] = time.split(':').map(Number) as [number, number];
    const end = `${String(h + (m + 20 >= 60 ? 1 : 0)).padStart(2, '0')}:${String((m + 20) % 60).padStart(2, '0')}`;
    const res = await book(booking({ start: at(day, time), end: at(day, end), usager: usager(n) }));
    expect(res.status).toBe(201);
    return res.json();
  }

  it('flags an arrival on the rdv’s day only, live, and refuses it on another day with a clear message', async () => {
    const today = await newRdv('2026-12-03', '11:00', 20);
    const arrived = waitFor<{ rdvId: number; arrived: boolean }>(
      socket,
      'usager-arrived',
      (e) => e.rdvId === today.id,
    );
    const res = await me.post(`/api/v1/agent/rdvs/${today.id}/arrival`, { arrived: true });
    expect(res.status).toBe(200);
    expect((await res.json()).arrived).toBe(true);
    expect(await arrived).toMatchObject({ arrived: true });
    const later = await newRdv('2026-12-07', '09:40', 21);
    const early = await me.post(`/api/v1/agent/rdvs/${later.id}/arrival`, { arrived: true });
    expect(early.status).toBe(422);
    expect(await early.json()).toMatchObject({
      code: 'ARRIVAL_TOO_EARLY',
      detail: expect.stringMatching(/jour du rendez-vous/),
    });
    clock.set(new Date('2026-12-04T08:00:00+01:00'));
    // The next morning (the evening's session has expired: sign in again).
    const tomorrow = await signIn(server, agentLogin);
    const frozen = await tomorrow.post(`/api/v1/agent/rdvs/${today.id}/arrival`, { arrived: false });
    expect((await frozen.json()).code).toBe('ARRIVAL_FROZEN');
    clock.set(new Date('2026-12-03T10:00:00+01:00'));
  });

  it('records a contre-appel that cancels the rdv: the slot is free again for citizens, once, irreversibly', async () => {
    const rdv = await newRdv('2026-12-09', '10:10', 22);
    const noComment = await me.post(`/api/v1/agent/rdvs/${rdv.id}/contre-appels`, {
      date: '2026-12-03',
      comment: '  ',
      cancel: true,
    });
    expect((await noComment.json()).code).toBe('COMMENT_REQUIRED');
    const updated = waitFor<{ rdvId: number; status: string }>(
      socket,
      'rdv-updated',
      (e) => e.rdvId === rdv.id,
    );
    const res = await me.post(`/api/v1/agent/rdvs/${rdv.id}/contre-appels`, {
      date: '2026-12-03',
      comment: 'Question réglée au téléphone',
      cancel: true,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'annule',
      contreAppel: { date: '2026-12-03', cancel: true },
    });
    expect(await updated).toMatchObject({ status: 'annule' });
    const slots = await (
      await fetch(
        `${server.url}/api/v1/services/${svc.code}/slots?motif=${svc.motifId}&type=physique&from=2026-12-09&to=2026-12-09`,
      )
    ).json();
    expect(slots.days[0].slots.map((s: { start: string }) => s.start)).toContain(at('2026-12-09', '10:10'));
    for (const path of ['cancel', 'arrival', 'replan']) {
      const again = await me.post(
        `/api/v1/agent/rdvs/${rdv.id}/${path}`,
        path === 'cancel' ? undefined : { arrived: true, start: at('2026-12-10', '09:00') },
      );
      expect(again.status, path).toBe(409);
    }
  });

  it('replans: the reminder follows the rdv, one notice email is queued, the old slot is freed', async () => {
    const rdv = await newRdv('2026-12-10', '09:00', 23);
    const res = await me.post(`/api/v1/agent/rdvs/${rdv.id}/replan`, { start: at('2026-12-11', '10:20') });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      start: at('2026-12-11', '10:20'),
      end: at('2026-12-11', '10:40'),
    });
    const outbox = await server.deps.sql<{ kind: string; runAt: Date; cancelledAt: Date | null }[]>`
      select kind, run_at, cancelled_at from outbox where rdv_id = ${rdv.id} order by id`;
    const pending = outbox.filter((o) => !o.cancelledAt).map((o) => [o.kind, o.runAt.toISOString()]);
    expect(pending).toEqual([
      ['confirmation', '2026-12-03T09:00:00.000Z'],
      ['replanification', '2026-12-03T09:00:00.000Z'],
      ['rappel', '2026-12-09T09:20:00.000Z'], // 48 hours before the new start
    ]);
    expect(outbox.find((o) => o.kind === 'rappel' && o.cancelledAt)).toBeDefined();
    // Delivered once, however often the worker runs; the reminder waits for its new time.
    await server.guichet.runOutbox();
    await server.guichet.runOutbox();
    const mails = await server.deps.sql<{ idempotencyKey: string; subject: string }[]>`
      select idempotency_key, subject from local_mails where idempotency_key like ${`rdv:${rdv.id}:%`}
      order by id`;
    expect(mails.map((m) => m.idempotencyKey)).toEqual([
      `rdv:${rdv.id}:confirmation`,
      `rdv:${rdv.id}:replanification:1`,
    ]);
    expect(mails[1]!.subject).toMatch(/^Rendez-vous déplacé au /);
  });

  it('cancels: the notice email is sent once, the reminder never', async () => {
    const rdv = await newRdv('2026-12-14', '09:00', 24);
    const res = await me.post(`/api/v1/agent/rdvs/${rdv.id}/cancel`);
    expect(res.status).toBe(200);
    await server.guichet.runOutbox();
    await server.guichet.runOutbox();
    const mails = await server.deps.sql<{ subject: string }[]>`
      select subject from local_mails where idempotency_key like ${`rdv:${rdv.id}:%`} order by id`;
    expect(mails.map((m) => m.subject.split(' ')[0])).toEqual(['Rendez-vous']); // the cancellation only
    expect(mails[0]!.subject).toMatch(/annulé/);
    clock.set(new Date('2026-12-12T10:00:00+01:00'));
    await server.guichet.runOutbox();
    clock.set(new Date('2026-12-03T10:00:00+01:00'));
    const after = await server.deps
      .sql`select 1 from local_mails where idempotency_key = ${`rdv:${rdv.id}:rappel`}`;
    expect(after).toHaveLength(0);
  });

  it('the fiche shows every detail and the history of the rdv', async () => {
    const rdv = await newRdv('2026-12-15', '09:00', 25);
    await me.post(`/api/v1/agent/rdvs/${rdv.id}/replan`, { start: at('2026-12-15', '10:00') });
    const res = await me.get(`/api/v1/agent/rdvs/${rdv.id}`);
    expect(res.status).toBe(200);
    const fiche = await res.json();
    expect(fiche).toMatchObject({
      code: rdv.code,
      guichet: { name: 'Guichet principal' },
      precisions: 'Question sur un investissement locatif',
      arrival: 'tooEarly',
      can: { arrival: true, contreAppel: true, replan: true, cancel: true },
    });
    expect(fiche.history.map((h: { action: string }) => h.action)).toEqual(['rdv.cree', 'rdv.replanifie']);
    expect(fiche.history[1].by).toMatch(/^Agent /);
  });
});
