import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture, usager } from '../helpers/fixtures.ts';

// Thursday 3 December 2026, 09:00 in Paris.
const clock = fixedClock(new Date('2026-12-03T09:00:00+01:00'));
let server: TestServer;
let svc: ServiceFixture;
let otherSvc: ServiceFixture;
type Client = Awaited<ReturnType<typeof signIn>>;
let chef: Client;
let agent: Client;
let otherChef: Client;

const at = (day: string, time: string) => `${day}T${time}:00+01:00`;
const MORNINGS: [number, string, string][] = [1, 2, 3, 4, 5].map((d) => [d, '08:30', '12:00']);

beforeAll(async () => {
  server = await startTestServer({ clock });
  const sql = server.deps.sql;
  svc = await createService(sql, {
    code: '9860001',
    guichets: [
      { name: 'Guichet principal', plages: MORNINGS },
      { name: 'Guichet n°2', plages: MORNINGS },
    ],
  });
  otherSvc = await createService(sql, { code: '9860002' });
  const c = await createAgent(sql, { on: [{ serviceId: svc.serviceId, profile: 'chef' }] });
  const a = await createAgent(sql, { on: [{ serviceId: svc.serviceId, profile: 'agent' }] });
  const o = await createAgent(sql, { on: [{ serviceId: otherSvc.serviceId, profile: 'chef' }] });
  chef = await signIn(server, c.login);
  agent = await signIn(server, a.login);
  otherChef = await signIn(server, o.login);
});
afterAll(() => server.close());

const base = () => `/api/v1/agent/services/${svc.code}`;

async function bookOn(guichetId: number, start: string, n: number) {
  const [h, m] = start.slice(11, 16).split(':').map(Number) as [number, number];
  const end = `${start.slice(0, 11)}${String(h + Math.floor((m + 20) / 60)).padStart(2, '0')}:${String((m + 20) % 60).padStart(2, '0')}:00+01:00`;
  const res = await agent.post(`${base()}/rdvs`, {
    guichetId,
    motifId: svc.motifId,
    type: 'physique',
    start,
    end,
    usager: usager(n, { numeroFiscal: undefined }),
    precisions: 'configuration',
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: number; code: string };
}

async function publicSlots(day: string) {
  const res = await fetch(
    `${server.url}/api/v1/services/${svc.code}/slots?motif=${svc.motifId}&type=physique&from=${day}&to=${day}`,
  );
  return ((await res.json()).days[0]?.slots ?? []).map((s: { start: string }) => s.start) as string[];
}

describe('who may configure', () => {
  it('only the chef of the service (or an administrateur)', async () => {
    expect((await chef.get(`${base()}/config`)).status).toBe(200);
    const refused = await agent.get(`${base()}/config`);
    expect(refused.status).toBe(403);
    expect((await refused.json()).detail).toMatch(/chef de service/);
    expect((await otherChef.get(`${base()}/config`)).status).toBe(403);
    expect(
      (
        await otherChef.put(`${base()}/config`, {
          active: false,
          durationMinutes: 20,
          holidayCalendar: 'metropole',
          selfCancellation: true,
        })
      ).status,
    ).toBe(403);
  });
});

describe('validation in French', () => {
  it('refuses overlapping plages, an end before its start, a guichet with no type', async () => {
    const [g] = svc.guichetIds;
    const overlap = await chef.call(`${base()}/guichets/${g}/plages`, {
      method: 'PUT',
      body: JSON.stringify({
        plages: [
          { weekday: 1, start: '08:30', end: '12:00' },
          { weekday: 1, start: '11:00', end: '13:00' },
        ],
      }),
    });
    expect(overlap.status).toBe(422);
    const body = await overlap.json();
    expect(body.errors[0]).toMatchObject({
      field: 'plages.1',
      message: expect.stringMatching(/lundi.*se chevauchent/),
    });
    const upside = await chef.call(`${base()}/guichets/${g}/plages`, {
      method: 'PUT',
      body: JSON.stringify({ plages: [{ weekday: 2, start: '12:00', end: '08:30' }] }),
    });
    expect((await upside.json()).errors[0].message).toMatch(/se termine avant de commencer/);
    const noType = await chef.post(`${base()}/guichets`, {
      name: 'Sans type',
      types: [],
      bookableBy: ['agentService'],
    });
    expect(noType.status).toBe(422);
    expect((await noType.json()).errors.map((e: { field: string }) => e.field)).toEqual(['types']);
  });

  it('warns when the service is active with no bookable guichet, and recommends 20 minutes', async () => {
    const res = await chef.call(`${base()}/config`, {
      method: 'PUT',
      body: JSON.stringify({
        active: true,
        durationMinutes: 20,
        holidayCalendar: 'metropole',
        selfCancellation: true,
        preview: true,
      }),
    });
    expect((await res.json()).warnings).toEqual([]);
    // With a single guichet that nobody may book any more, the active service takes no rdv.
    const lone = await createService(server.deps.sql, { code: '9860003' });
    const head = await createAgent(server.deps.sql, { on: [{ serviceId: lone.serviceId, profile: 'chef' }] });
    const loneChef = await signIn(server, head.login);
    const closedAll = await loneChef.patch(
      `/api/v1/agent/services/${lone.code}/guichets/${lone.guichetIds[0]}`,
      {
        bookableBy: [],
        preview: true,
      },
    );
    expect((await closedAll.json()).warnings.map((w: { code: string }) => w.code)).toEqual([
      'NO_BOOKABLE_GUICHET',
    ]);
  });
});

describe('impact first', () => {
  let socket: Socket;
  beforeAll(async () => {
    socket = connect(server.url, { transports: ['websocket'] });
    expect(await socket.emitWithAck('subscribe', { serviceCode: svc.code })).toEqual({ ok: true });
  });
  afterAll(() => {
    socket.close();
  });

  it('a new guichet with plages opens new slots, announced to open pickers', async () => {
    const changed = new Promise((resolve) => socket.once('config-changed', resolve));
    const created = await chef.post(`${base()}/guichets`, {
      name: 'Guichet du soir',
      types: ['physique'],
      bookableBy: ['internet', 'agentService'],
      motifIds: [svc.motifId],
    });
    expect(created.status).toBe(201);
    const g = await created.json();
    await changed;
    const put = await chef.call(`${base()}/guichets/${g.id}/plages`, {
      method: 'PUT',
      body: JSON.stringify({ plages: [{ weekday: 2, start: '16:00', end: '17:00' }] }),
    });
    expect(put.status).toBe(200);
    expect(await publicSlots('2026-12-08')).toContain(at('2026-12-08', '16:00'));
  });

  it('closing a guichet with future rdvs lists them first, then cancels them with the notice email', async () => {
    const g2 = svc.guichetIds[1]!;
    const a = await bookOn(g2, at('2026-12-09', '09:10'), 1);
    const b = await bookOn(g2, at('2026-12-10', '10:10'), 2);
    const preview = await chef.call(`${base()}/guichets/${g2}`, {
      method: 'PATCH',
      body: JSON.stringify({ open: false, preview: true }),
    });
    const p = await preview.json();
    expect(p.saved).toBe(false);
    expect(p.affected.map((r: { code: string }) => r.code)).toEqual([a.code, b.code]);
    expect(p.affected[0].usager).toBe('TESTEUR1 CAMILLE');
    const blind = await chef.call(`${base()}/guichets/${g2}`, {
      method: 'PATCH',
      body: JSON.stringify({ open: false }),
    });
    expect(blind.status).toBe(409);
    expect((await blind.json()).code).toBe('DECISION_REQUIRED');
    const [still] = await server.deps.sql<{ open: boolean }[]>`select open from guichets where id = ${g2}`;
    expect(still!.open).toBe(true); // nothing saved without a decision
    const done = await chef.call(`${base()}/guichets/${g2}`, {
      method: 'PATCH',
      body: JSON.stringify({ open: false, decision: 'cancel' }),
    });
    expect(done.status).toBe(200);
    expect((await done.json()).outcome.cancelled).toEqual([a.code, b.code]);
    // A change sends only its fields: closing keeps the guichet's motifs.
    const kept = await server.deps.sql`select 1 from guichet_motifs where guichet_id = ${g2}`;
    expect(kept.length).toBeGreaterThan(0);
    const rows = await server.deps.sql<{ status: string; cancelReason: string }[]>`
      select status, cancel_reason from rdvs where id in (${a.id}, ${b.id})`;
    expect(rows.map((r) => [r.status, r.cancelReason])).toEqual([
      ['annule', 'service'],
      ['annule', 'service'],
    ]);
    const notices = await server.deps
      .sql`select 1 from outbox where kind = 'annulation' and rdv_id in (${a.id}, ${b.id})`;
    expect(notices).toHaveLength(2);
  });

  it('shortening a plage replans the rdvs left outside onto the new offer', async () => {
    const g1 = svc.guichetIds[0]!;
    const late = await bookOn(g1, at('2026-12-14', '11:30'), 3);
    const res = await chef.call(`${base()}/guichets/${g1}/plages`, {
      method: 'PUT',
      body: JSON.stringify({
        plages: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:30', end: '11:00' })),
        decision: 'replan',
      }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).outcome.replanned).toEqual([late.code]);
    const [moved] = await server.deps.sql<
      { start: Date }[]
    >`select lower(during) as start from rdvs where id = ${late.id}`;
    // The first free slot of the new offer after its old time: the next morning (Tuesday).
    expect(moved!.start.toISOString()).toBe('2026-12-15T07:30:00.000Z');
    const notice = await server.deps
      .sql`select payload from outbox where kind = 'replanification' and rdv_id = ${late.id}`;
    expect(notice).toHaveLength(1);
  });

  it('a fermeture over booked slots shows them; “keep” keeps them, and the slots close for citizens', async () => {
    const kept = await bookOn(svc.guichetIds[0]!, at('2026-12-16', '09:10'), 4);
    const body = { start: at('2026-12-16', '00:00'), end: at('2026-12-17', '00:00'), reason: 'Formation' };
    const preview = await (await chef.post(`${base()}/fermetures`, { ...body, preview: true })).json();
    expect(preview.affected.map((r: { code: string }) => r.code)).toEqual([kept.code]);
    const res = await chef.post(`${base()}/fermetures`, { ...body, decision: 'keep' });
    expect(res.status).toBe(200);
    const saved = await res.json();
    expect(saved.outcome.kept).toEqual([kept.code]);
    expect(await publicSlots('2026-12-16')).toEqual([]);
    const [row] = await server.deps.sql<{ status: string }[]>`select status from rdvs where id = ${kept.id}`;
    expect(row!.status).toBe('confirme');
    expect((await chef.call(`${base()}/fermetures/${saved.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await publicSlots('2026-12-16')).length).toBeGreaterThan(0);
  });

  it('a new duration lists the future rdvs of another length; the audit keeps before and after', async () => {
    const preview = await (
      await chef.call(`${base()}/config`, {
        method: 'PUT',
        body: JSON.stringify({
          active: true,
          durationMinutes: 30,
          holidayCalendar: 'metropole',
          selfCancellation: true,
          preview: true,
        }),
      })
    ).json();
    expect(preview.affected.length).toBeGreaterThan(0);
    expect(preview.warnings.map((w: { code: string }) => w.code)).toContain('DURATION_NOT_RECOMMENDED');
    const saved = await chef.call(`${base()}/config`, {
      method: 'PUT',
      body: JSON.stringify({
        active: true,
        durationMinutes: 30,
        holidayCalendar: 'metropole',
        selfCancellation: false,
        decision: 'keep',
      }),
    });
    expect(saved.status).toBe(200);
    const [audit] = await server.deps.sql<
      { before: { durationMinutes: number }; after: { durationMinutes: number } }[]
    >`
      select before, after from audit_log where service_id = ${svc.serviceId} and action = 'config.service' order by id desc limit 1`;
    expect([audit!.before.durationMinutes, audit!.after.durationMinutes]).toEqual([20, 30]);
  });
});
