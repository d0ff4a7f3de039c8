import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionIdOf } from '../../server/app/auth.ts';
import { fixedClock } from '../../server/infra/clock.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture, usager } from '../helpers/fixtures.ts';

// Thursday 3 December 2026, 10:00 in Paris: the earliest online rdv is Tuesday 8 December.
const clock = fixedClock(new Date('2026-12-03T10:00:00+01:00'));
let server: TestServer;
let svc: ServiceFixture;
let twoGuichets: ServiceFixture;

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

async function slots(s: ServiceFixture, from: string, to: string, type = 'physique') {
  const res = await server.api.request(
    `/api/v1/services/${s.code}/slots?motif=${s.motifId}&type=${type}&from=${from}&to=${to}`,
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { days: { date: string; slots: { start: string; end: string }[] }[] };
}

async function hold(s: ServiceFixture, start: string, type = 'physique', cookie?: string) {
  return server.api.request(
    '/api/v1/holds',
    json({ serviceCode: s.code, motifId: s.motifId, type, start }, cookie ? { cookie } : {}),
  );
}

/** The owner cookie a hold's answer set: only that browser may release the hold. */
const ownerOf = (res: Response) => res.headers.get('set-cookie')?.split(';')[0] ?? '';

const release = (holdId: string, cookie: string) =>
  server.api.request(`/api/v1/holds/${holdId}`, { method: 'DELETE', headers: cookie ? { cookie } : {} });

async function book(holdId: string, n: number, key = randomUUID(), extra: Record<string, unknown> = {}) {
  return server.api.request(
    '/api/v1/rdvs',
    json(
      { holdId, usager: usager(n), precisions: 'Question sur ma déclaration', ...extra },
      { 'idempotency-key': key },
    ),
  );
}

function waitFor<T>(socket: Socket, event: string, predicate: (e: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pas d’événement ${event}`)), 5_000);
    const handler = (e: T) => {
      if (!predicate(e)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(e);
    };
    socket.on(event, handler);
  });
}

beforeAll(async () => {
  server = await startTestServer({ clock });
  svc = await createService(server.deps.sql, { code: '9910001' });
  twoGuichets = await createService(server.deps.sql, {
    code: '9910002',
    guichets: [
      { name: 'G1', plages: [[2, '09:00', '10:00']] },
      { name: 'G2', plages: [[2, '09:00', '10:00']] },
    ],
  });
});
afterAll(() => server.close());

describe('GET /api/v1/services/:code/slots', () => {
  it('starts after two working days (Thursday → Tuesday) with offset-carrying times', async () => {
    const { days } = await slots(svc, '2026-12-03', '2026-12-10');
    expect(days.map((d) => d.date)).toEqual(['2026-12-08', '2026-12-09', '2026-12-10']);
    expect(days[0]!.slots[0]).toEqual({
      start: '2026-12-08T08:30:00+01:00',
      end: '2026-12-08T08:50:00+01:00',
    });
    expect(days[0]!.slots).toHaveLength(10); // 08:30–12:00 in 20-minute slots; 11:50 would overflow
  });

  it('clips to the 30-day window and skips Christmas', async () => {
    const { days } = await slots(svc, '2026-12-20', '2027-01-31');
    const dates = days.map((d) => d.date);
    expect(dates).not.toContain('2026-12-25');
    expect(dates.at(-1)! <= '2027-01-02').toBe(true);
  });

  it('answers 422 in French for bad parameters', async () => {
    const res = await server.api.request(
      `/api/v1/services/${svc.code}/slots?motif=abc&type=visio&from=2026-13-01&to=2026-12-10`,
    );
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const body = await res.json();
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['from', 'motif', 'type']);
    expect(body.detail).toMatch(/AAAA-MM-JJ/);
  });

  it('answers 404 for an unknown service', async () => {
    const res = await server.api.request(
      '/api/v1/services/9999999/slots?motif=1&type=physique&from=2026-12-08&to=2026-12-09',
    );
    expect(res.status).toBe(404);
  });
});

describe('holds', () => {
  it('takes the slot away while held, and gives it back on release', async () => {
    const start = '2026-12-09T09:10:00+01:00';
    const res = await hold(svc, start);
    expect(res.status).toBe(201);
    const h = await res.json();
    expect(h).toMatchObject({
      start,
      end: '2026-12-09T09:30:00+01:00',
      expiresAt: '2026-12-03T10:10:00+01:00',
    });
    const during = await slots(svc, '2026-12-09', '2026-12-09');
    expect(during.days[0]!.slots.map((s) => s.start)).not.toContain(start);
    const again = await hold(svc, start);
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('SLOT_UNAVAILABLE');
    const stranger = await release(h.holdId, '');
    expect(stranger.status).toBe(404);
    const otherBrowser = await release(h.holdId, ownerOf(again));
    expect(otherBrowser.status).toBe(404);
    expect((await slots(svc, '2026-12-09', '2026-12-09')).days[0]!.slots.map((s) => s.start)).not.toContain(
      start,
    );
    const del = await release(h.holdId, ownerOf(res));
    expect(del.status).toBe(204);
    const after = await slots(svc, '2026-12-09', '2026-12-09');
    expect(after.days[0]!.slots.map((s) => s.start)).toContain(start);
  });

  it('picks another free guichet, and refuses once every guichet is held', async () => {
    const start = '2026-12-08T09:00:00+01:00';
    expect((await hold(twoGuichets, start)).status).toBe(201);
    expect(
      (await slots(twoGuichets, '2026-12-08', '2026-12-08')).days[0]!.slots.map((s) => s.start),
    ).toContain(start);
    expect((await hold(twoGuichets, start)).status).toBe(201);
    expect((await hold(twoGuichets, start)).status).toBe(409);
    const left = await slots(twoGuichets, '2026-12-08', '2026-12-08');
    expect(left.days[0]!.slots.map((s) => s.start)).not.toContain(start);
  });

  it('refuses a time that is not an offered slot', async () => {
    expect((await hold(svc, '2026-12-09T09:15:00+01:00')).status).toBe(409); // off the grid
    expect((await hold(svc, '2026-12-04T09:10:00+01:00')).status).toBe(409); // before the window
    expect((await hold(svc, '2026-12-12T09:10:00+01:00')).status).toBe(409); // Saturday
  });
});

describe('POST /api/v1/rdvs', () => {
  it('books the held slot and answers the confirmation', async () => {
    const h = await (await hold(svc, '2026-12-10T10:10:00+01:00')).json();
    const res = await book(h.holdId, 1);
    expect(res.status).toBe(201);
    const rdv = await res.json();
    expect(rdv.code).toMatch(/^[A-Z]{6}$/);
    expect(rdv).toMatchObject({
      start: '2026-12-10T10:10:00+01:00',
      end: '2026-12-10T10:30:00+01:00',
      durationMinutes: 20,
      type: 'physique',
      service: { code: svc.code },
      motif: { id: svc.motifId },
    });
    const [row] = await server.deps.sql`
      select r.canal, r.status, u.telephones, u.email from rdvs r join usagers u on u.id = r.usager_id where r.code = ${rdv.code} and r.active`;
    expect(row).toMatchObject({
      canal: 'internet',
      status: 'confirme',
      telephones: ['+33612345678'],
      email: 'camille.1@example.org',
    });
    const outbox = await server.deps.sql`
      select kind, run_at from outbox o join rdvs r on r.id = o.rdv_id where r.code = ${rdv.code} and r.active order by kind`;
    expect(outbox.map((o) => o.kind)).toEqual(['confirmation', 'rappel']);
    expect((outbox[1]!.runAt as Date).toISOString()).toBe('2026-12-08T09:10:00.000Z'); // 48 h before
    const audit = await server.deps
      .sql`select action from audit_log a join rdvs r on r.id = a.rdv_id where r.code = ${rdv.code}`;
    expect(audit.map((a) => a.action)).toEqual(['rdv.cree']);
  });

  it('is idempotent: same key and body → same answer, one rdv; other body → 422', async () => {
    const h = await (await hold(svc, '2026-12-10T10:30:00+01:00')).json();
    const key = randomUUID();
    const first = await (await book(h.holdId, 2, key)).json();
    const second = await book(h.holdId, 2, key);
    expect(second.status).toBe(201);
    expect((await second.json()).code).toBe(first.code);
    const [{ n }] = (await server.deps.sql`
      select count(*)::int as n from rdvs where service_id = ${svc.serviceId} and lower(during) = '2026-12-10T10:30:00+01:00'`) as unknown as [
      { n: number },
    ];
    expect(n).toBe(1);
    const other = await book(h.holdId, 3, key);
    expect(other.status).toBe(422);
    expect((await other.json()).code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('lists every invalid field in French and books nothing', async () => {
    const placed = await hold(svc, '2026-12-10T10:50:00+01:00');
    const h = await placed.json();
    const res = await server.api.request(
      '/api/v1/rdvs',
      json(
        {
          holdId: h.holdId,
          usager: {
            type: 'professionnel',
            civilite: 'X',
            nomUsage: '',
            prenoms: 'A',
            telephones: ['123'],
            siren: '732829321',
            email: 'pas-un-courriel',
          },
          precisions: '',
        },
        { 'idempotency-key': randomUUID() },
      ),
    );
    expect(res.status).toBe(422);
    const body = await res.json();
    const fields = body.errors.map((e: { field: string }) => e.field);
    for (const f of [
      'usager.civilite',
      'usager.nomUsage',
      'usager.telephones.0',
      'usager.siren',
      'usager.email',
      'usager.raisonSociale',
      'precisions',
    ]) {
      expect(fields).toContain(f);
    }
    expect(body.errors.find((e: { field: string }) => e.field === 'usager.siren').message).toMatch(/SIREN/);
    expect((await release(h.holdId, ownerOf(placed))).status).toBe(204);
  });

  it('requires an Idempotency-Key and a JSON body', async () => {
    const res = await server.api.request(
      '/api/v1/rdvs',
      json({ holdId: randomUUID(), usager: usager(4), precisions: 'x' }),
    );
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].field).toBe('idempotency-key');
    const bad = await server.api.request('/api/v1/rdvs', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: '{"holdId":',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('answers 410 for an unknown hold', async () => {
    const res = await book(randomUUID(), 5);
    expect(res.status).toBe(410);
    expect((await res.json()).code).toBe('HOLD_EXPIRED');
  });

  it('still books on an expired hold whose slot is free, but not once someone else holds it', async () => {
    const h1 = await (await hold(svc, '2026-12-11T08:30:00+01:00')).json();
    clock.advance(11 * 60_000);
    expect((await book(h1.holdId, 6)).status).toBe(201);

    const h2 = await (await hold(svc, '2026-12-11T08:50:00+01:00')).json();
    clock.advance(11 * 60_000);
    expect((await hold(svc, '2026-12-11T08:50:00+01:00')).status).toBe(201); // another usager
    const late = await book(h2.holdId, 7);
    expect(late.status).toBe(409);
    expect((await late.json()).code).toBe('SLOT_TAKEN');
  });

  it('never books on a released hold, even while its slot is still free', async () => {
    const placed = await hold(svc, '2026-12-11T09:30:00+01:00');
    const h = await placed.json();
    expect((await release(h.holdId, ownerOf(placed))).status).toBe(204);
    const res = await book(h.holdId, 8);
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ code: 'HOLD_RELEASED' });
    const [{ n }] = (await server.deps.sql`
      select count(*)::int as n from rdvs where service_id = ${svc.serviceId} and lower(during) = '2026-12-11T09:30:00+01:00'`) as unknown as [
      { n: number },
    ];
    expect(n).toBe(0);
  });

  it('re-checks the offer at booking time: a guichet closed or a fermeture since the hold refuses it', async () => {
    const own = await createService(server.deps.sql, { code: '9910003' });
    const sql = server.deps.sql;
    const live = await (await hold(own, '2026-12-16T09:10:00+01:00')).json();
    const expired = await (await hold(own, '2026-12-16T09:30:00+01:00')).json();
    const closedLater = await (await hold(own, '2026-12-17T09:10:00+01:00')).json();
    await sql`insert into fermetures (service_id, during, reason)
              values (${own.serviceId}, tstzrange('2026-12-17T00:00:00+01:00', '2026-12-18T00:00:00+01:00'), 'inventaire')`;
    const inFermeture = await book(closedLater.holdId, 10);
    expect(inFermeture.status).toBe(409);
    expect((await inFermeture.json()).detail).toMatch(/fermé/);

    await sql`update guichets set open = false where id = ${own.guichetIds[0]!}`;
    const onClosed = await book(live.holdId, 11);
    expect(onClosed.status).toBe(409);
    expect(await onClosed.json()).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    // An expired hold goes through every check a new hold would: the guichet is closed, so no.
    clock.advance(11 * 60_000);
    const late = await book(expired.holdId, 12);
    expect(late.status).toBe(409);
    await sql`update guichets set open = true where id = ${own.guichetIds[0]!}`;
    // The guichet reopened and nobody holds the slot: the expired hold may book after all.
    expect((await book(expired.holdId, 13)).status).toBe(201);
  });

  it('an expired hold books only on an offered slot: not for a motif the guichet stopped offering', async () => {
    const own = await createService(server.deps.sql, { code: '9910004' });
    const h = await (await hold(own, '2026-12-16T10:10:00+01:00')).json();
    await server.deps
      .sql`delete from guichet_motifs where guichet_id = ${own.guichetIds[0]!} and motif_id = ${own.motifId}`;
    clock.advance(11 * 60_000);
    const res = await book(h.holdId, 14);
    expect(res.status).toBe(409);
    expect((await res.json()).code).toBe('SLOT_TAKEN');
  });

  it('100 concurrent bookings of one slot: exactly one 201, the rest 409', async () => {
    const h = await (await hold(svc, '2026-12-14T11:10:00+01:00')).json();
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fetch(
          `${server.url}/api/v1/rdvs`,
          json(
            { holdId: h.holdId, usager: usager(100 + i), precisions: 'course' },
            { 'idempotency-key': randomUUID() },
          ),
        ),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    const [{ n }] = (await server.deps.sql`
      select count(*)::int as n from rdvs where service_id = ${svc.serviceId} and active and lower(during) = '2026-12-14T11:10:00+01:00'`) as unknown as [
      { n: number },
    ];
    expect(n).toBe(1);
  });
});

describe('live events', () => {
  let socket: Socket;
  beforeAll(async () => {
    socket = connect(server.url, { transports: ['websocket'] });
    const ack = await socket.emitWithAck('subscribe', { serviceCode: svc.code });
    expect(ack).toEqual({ ok: true });
  });
  afterAll(() => {
    socket.close();
  });

  it('announces slot-taken on hold, slot-freed on release, without personal data', async () => {
    const start = '2026-12-15T09:30:00+01:00';
    const taken = waitFor<Record<string, unknown>>(socket, 'slot-taken', (e) => e.start === start);
    const placed = await hold(svc, start);
    const h = await placed.json();
    expect(await taken).toEqual({
      serviceCode: svc.code,
      start,
      end: '2026-12-15T09:50:00+01:00',
      type: 'physique',
    });
    const freed = waitFor(socket, 'slot-freed', (e: { start: string }) => e.start === start);
    await release(h.holdId, ownerOf(placed));
    await freed;
  });

  it('announces slot-freed when a hold expires (sweep after the clock moves)', async () => {
    const start = '2026-12-15T09:50:00+01:00';
    await server.guichet.sweepHolds(); // earlier tests' holds expired when they moved the clock
    await hold(svc, start);
    const freed = waitFor(socket, 'slot-freed', (e: { start: string }) => e.start === start);
    expect(await server.guichet.sweepHolds()).toBe(0);
    clock.advance(10 * 60_000 + 1);
    expect(await server.guichet.sweepHolds()).toBeGreaterThanOrEqual(1);
    await freed;
    expect(await server.guichet.sweepHolds()).toBe(0);
  });

  it('refuses /agent without a session, and scopes rooms to the zone de compétence', async () => {
    const anonymous = connect(`${server.url}/agent`, { transports: ['websocket'], reconnection: false });
    const refused = await new Promise<string>((resolve) =>
      anonymous.on('connect_error', (e) => resolve(e.message)),
    );
    expect(refused).toMatch(/Authentification/);
    anonymous.close();

    const sql = server.deps.sql;
    const [agent] =
      await sql`insert into agents (login, display_name, password_hash) values (${`agent.${randomUUID()}`}, 'Agent Test', 'x') returning id`;
    await sql`insert into habilitations (agent_id, service_id, profile) values (${agent!.id}, ${svc.serviceId}, 'agent')`;
    const token = randomUUID();
    await sql`insert into sessions (id, agent_id, expires_at) values (${sessionIdOf(token)}, ${agent!.id}, ${new Date(clock.now().getTime() + 3_600_000)})`;
    const agentSocket = connect(`${server.url}/agent`, {
      transports: ['websocket'],
      extraHeaders: { cookie: `guichet_session=${token}` },
    });
    try {
      expect(await agentSocket.emitWithAck('join', { serviceCode: svc.code })).toEqual({ ok: true });
      expect((await agentSocket.emitWithAck('join', { serviceCode: twoGuichets.code })).ok).toBe(false);
      const created = waitFor<{ code: string; serviceCode: string }>(agentSocket, 'rdv-created');
      const h = await (await hold(svc, '2026-12-15T10:10:00+01:00')).json();
      const rdv = await (await book(h.holdId, 8)).json();
      expect(await created).toMatchObject({
        code: rdv.code,
        serviceCode: svc.code,
        canal: 'internet',
        // The whole rdv, so that open agendas draw it without asking the API.
        rdv: { code: rdv.code, canal: 'internet', status: 'confirme', arrived: false },
      });
    } finally {
      agentSocket.close();
    }
  });
});
