import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture, usager } from '../helpers/fixtures.ts';
import { json, ownerOf, publicBooking } from '../helpers/public-booking.ts';

// Thursday 3 December 2026, 10:00 in Paris: the earliest online rdv is Tuesday 8 December.
const clock = fixedClock(new Date('2026-12-03T10:00:00+01:00'));
let server: TestServer;
let svc: ServiceFixture;
const { hold, release, book, ownerOfHold } = publicBooking(() => server);

beforeAll(async () => {
  server = await startTestServer({ clock });
  svc = await createService(server.deps.sql, { code: '9910005' });
});
afterAll(() => server.close());

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

  it('books only from the browser that placed the hold: to anyone else it is unknown', async () => {
    const start = '2026-12-11T10:10:00+01:00';
    const placed = await hold(svc, start);
    const h = await placed.json();
    const unknown = await (await book(randomUUID(), 20)).json();
    // Another browser (its own owner cookie, from a hold of its own), and no cookie at all.
    const other = ownerOf(await hold(svc, '2026-12-11T10:30:00+01:00'));
    for (const cookie of [other, 'guichet_titulaire=00000000-0000-0000-0000-000000000000', '']) {
      const res = await book(h.holdId, 21, randomUUID(), {}, cookie);
      expect(res.status).toBe(410);
      expect(await res.json()).toEqual(unknown);
    }
    const [{ n }] = (await server.deps.sql`
      select count(*)::int as n from rdvs where service_id = ${svc.serviceId} and active and lower(during) = ${start}`) as unknown as [
      { n: number },
    ];
    expect(n).toBe(0);
    // The hold is still the owner's, who books it.
    expect((await book(h.holdId, 22)).status).toBe(201);
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
            { 'idempotency-key': randomUUID(), cookie: ownerOfHold(h.holdId) },
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
