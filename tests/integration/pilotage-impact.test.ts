import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import type { Tx } from '../../server/infra/db.ts';
import { insertRdv, insertUsager } from '../../server/store/rdvs.ts';
import { createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture, usager } from '../helpers/fixtures.ts';

// Impact first, precisely: the rdvs a change pushes out of the offer (not those already outside
// it), decided under the service's lock, and every change previewable. Thursday 3 December 2026.
const clock = fixedClock(new Date('2026-12-03T09:00:00+01:00'));
let server: TestServer;
let svc: ServiceFixture;
type Client = Awaited<ReturnType<typeof signIn>>;
let chef: Client;
let agent: Client;

const at = (day: string, time: string) => `${day}T${time}:00+01:00`;
// Monday to Saturday mornings: 26 December 2026 is a Saturday.
const MORNINGS: [number, string, string][] = [1, 2, 3, 4, 5, 6].map((d) => [d, '08:30', '12:00']);

beforeAll(async () => {
  server = await startTestServer({ clock });
  const sql = server.deps.sql;
  svc = await createService(sql, {
    code: '9893001',
    guichets: ['Guichet 1', 'Guichet 2', 'Guichet 3', 'Guichet 4'].map((name) => ({
      name,
      plages: MORNINGS,
    })),
  });
  chef = await signIn(
    server,
    (await createAgent(sql, { on: [{ serviceId: svc.serviceId, profile: 'chef' }] })).login,
  );
  agent = await signIn(
    server,
    (await createAgent(sql, { on: [{ serviceId: svc.serviceId, profile: 'agent' }] })).login,
  );
});
afterAll(() => server.close());

const base = () => `/api/v1/agent/services/${svc.code}`;
const codes = (rs: { code: string }[]) => rs.map((r) => r.code).sort();

/** An agent of the service books; `acknowledge` forces it outside the offer. */
async function book(guichetId: number, start: string, end: string, n: number, acknowledge: string[] = []) {
  const res = await agent.post(`${base()}/rdvs`, {
    guichetId,
    motifId: svc.motifId,
    type: 'physique',
    start,
    end,
    usager: usager(n, { numeroFiscal: undefined }),
    precisions: 'impact',
    acknowledge,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: number; code: string };
}

const closeGuichet = (id: number, options: Record<string, unknown>) =>
  chef.patch(`${base()}/guichets/${id}`, { open: false, ...options });

const isOpen = async (id: number) =>
  (await server.deps.sql<{ open: boolean }[]>`select open from guichets where id = ${id}`)[0]!.open;

/**
 * Holds a transaction open while a request runs into it: `work` runs in it, then the request is
 * sent and the transaction commits once the request's backend waits on a lock (a state, no delay).
 */
async function committedWhileBlocked<T>(work: (tx: Tx) => Promise<T>, request: () => Promise<Response>) {
  const sql = server.deps.sql;
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started!: (value: T) => void;
  const done = new Promise<T>((resolve) => {
    started = resolve;
  });
  const tx = sql.begin(async (t) => {
    started(await work(t));
    await released;
  });
  const value = await done;
  const response = request();
  for (;;) {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`;
    if (row!.n > 0) break;
  }
  release();
  await tx;
  return { value, response: await response };
}

describe('the rdvs a change pushes out, not those already outside the offer', () => {
  it('renaming a guichet that carries a forced rdv saves without a decision', async () => {
    const g = svc.guichetIds[0]!;
    const inside = await book(g, at('2026-12-08', '09:00'), at('2026-12-08', '09:20'), 1);
    await book(g, at('2026-12-08', '12:30'), at('2026-12-08', '12:50'), 2, ['OUTSIDE_PLAGES']);
    const renamed = await chef.patch(`${base()}/guichets/${g}`, { name: 'Accueil' });
    expect(renamed.status, await renamed.clone().text()).toBe(200);
    expect(await renamed.json()).toMatchObject({ saved: true, affected: [] });
    // Closing it pushes out only the rdv the offer received: a blanket decision leaves the other be.
    const preview = await (await closeGuichet(g, { preview: true })).json();
    expect(codes(preview.affected)).toEqual([inside.code]);
  });
});

describe('rdvs booked meanwhile', () => {
  it('after the preview: a decision for the rdvs shown refuses the change, listing the new one', async () => {
    const g = svc.guichetIds[1]!;
    const a = await book(g, at('2026-12-09', '09:00'), at('2026-12-09', '09:20'), 3);
    const preview = await (await closeGuichet(g, { preview: true })).json();
    expect(codes(preview.affected)).toEqual([a.code]);
    const b = await book(g, at('2026-12-09', '10:00'), at('2026-12-09', '10:20'), 4);
    const affectedIds = preview.affected.map((r: { id: number }) => r.id);
    const refused = await closeGuichet(g, { decision: 'cancel', affectedIds });
    expect(refused.status).toBe(409);
    const problem = await refused.json();
    expect(problem.code).toBe('DECISION_REQUIRED');
    expect(codes(problem.affected)).toEqual([a.code, b.code].sort());
    expect(await isOpen(g)).toBe(true);
    // Per rdv, the same: the new rdv has no decision.
    const perRdv = await closeGuichet(g, { decisions: { [a.id]: 'cancel' } });
    expect(perRdv.status).toBe(409);
    const statuses = await server.deps.sql<{ status: string }[]>`
      select status from rdvs where id in (${a.id}, ${b.id})`;
    expect(statuses.map((r) => r.status)).toEqual(['confirme', 'confirme']);
  });

  it('while the change waits for the lock: the rdv committed meanwhile refuses it', async () => {
    const g = svc.guichetIds[2]!;
    const d = await book(g, at('2026-12-10', '09:00'), at('2026-12-10', '09:20'), 5);
    const preview = await (await closeGuichet(g, { preview: true })).json();
    expect(codes(preview.affected)).toEqual([d.code]);
    // A booking in flight: its insert holds the service's row (foreign key) until it commits.
    const { response } = await committedWhileBlocked(
      async (tx) => {
        const usagerId = await insertUsager(tx, {
          type: 'particulier',
          civilite: 'MME',
          nomUsage: 'CONCURRENTE',
          nomNaissance: null,
          prenoms: 'Alix',
          dateNaissance: null,
          numeroFiscal: null,
          siren: null,
          raisonSociale: null,
          telephones: ['06 12 34 56 78'],
          rappel: [],
          email: null,
        });
        return insertRdv(tx, {
          code: 'ZZRACE',
          serviceId: svc.serviceId,
          guichetId: g,
          motifId: svc.motifId,
          usagerId,
          type: 'physique',
          start: new Date(at('2026-12-10', '10:00')),
          end: new Date(at('2026-12-10', '10:20')),
          canal: 'internet',
          precisions: '',
          createdByAgentId: null,
        });
      },
      () => closeGuichet(g, { decision: 'cancel', affectedIds: [d.id] }),
    );
    expect(response.status).toBe(409);
    const problem = await response.json();
    expect(problem.code).toBe('DECISION_REQUIRED');
    expect(codes(problem.affected)).toEqual([d.code, 'ZZRACE']);
    expect(await isOpen(g)).toBe(true);
  });

  it('an rdv cancelled while the change runs gets no second notice nor audit line', async () => {
    const g = svc.guichetIds[3]!;
    const f = await book(g, at('2026-12-11', '09:00'), at('2026-12-11', '09:20'), 6);
    // The usager cancels: his transaction holds the rdv's row when the change comes to cancel it.
    const { response } = await committedWhileBlocked(
      (tx) => tx`
        update rdvs set status = 'annule', cancelled_at = now(), cancel_reason = 'usager' where id = ${f.id}`,
      () => closeGuichet(g, { decision: 'cancel', affectedIds: [f.id] }),
    );
    expect(response.status, await response.clone().text()).toBe(200);
    expect((await response.json()).outcome.cancelled).toEqual([]);
    const sql = server.deps.sql;
    expect(await sql`select 1 from outbox where kind = 'annulation' and rdv_id = ${f.id}`).toHaveLength(0);
    expect(await sql`select 1 from audit_log where action = 'rdv.annule' and rdv_id = ${f.id}`).toHaveLength(
      0,
    );
    const [row] = await sql<{ cancelReason: string }[]>`select cancel_reason from rdvs where id = ${f.id}`;
    expect(row!.cancelReason).toBe('usager');
  });
});

describe('every change may be previewed', () => {
  it('creating a guichet and removing a fermeture answer without saving', async () => {
    const sql = server.deps.sql;
    const created = await chef.post(`${base()}/guichets`, {
      name: 'Guichet en projet',
      types: ['physique'],
      bookableBy: ['internet'],
      preview: true,
    });
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ affected: [], saved: false, warnings: [] });
    expect(await sql`select 1 from guichets where name = 'Guichet en projet'`).toHaveLength(0);
    const fermeture = await (
      await chef.post(`${base()}/fermetures`, {
        start: at('2026-12-31', '00:00'),
        end: at('2027-01-01', '00:00'),
        reason: 'Inventaire',
      })
    ).json();
    const path = `${base()}/fermetures/${fermeture.id}`;
    const preview = await chef.call(`${path}?preview=true`, { method: 'DELETE' });
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({ affected: [], saved: false, warnings: [] });
    expect(await sql`select 1 from fermetures where id = ${fermeture.id}`).toHaveLength(1);
    expect((await chef.call(path, { method: 'DELETE' })).status).toBe(204);
    expect(await sql`select 1 from fermetures where id = ${fermeture.id}`).toHaveLength(0);
  });
});

describe('the holiday calendar', () => {
  it('a calendar that closes 26 December lists the rdvs of that day first', async () => {
    // Saturday 26 December: open in métropole, a public holiday in Alsace-Moselle.
    const boxingDay = await book(svc.guichetIds[0]!, at('2026-12-26', '09:00'), at('2026-12-26', '09:20'), 7);
    const settings = { active: true, durationMinutes: 20, selfCancellation: true };
    const alsace = { ...settings, holidayCalendar: 'alsace-moselle' };
    const preview = await (await chef.put(`${base()}/config`, { ...alsace, preview: true })).json();
    expect(codes(preview.affected)).toEqual([boxingDay.code]);
    const blind = await chef.put(`${base()}/config`, alsace);
    expect(blind.status).toBe(409);
    expect((await blind.json()).code).toBe('DECISION_REQUIRED');
    const kept = await chef.put(`${base()}/config`, { ...alsace, decision: 'keep' });
    expect(kept.status).toBe(200);
    expect((await kept.json()).outcome.kept).toEqual([boxingDay.code]);
    // Back to métropole: the day opens again, nothing is pushed out.
    const back = await chef.put(`${base()}/config`, { ...settings, holidayCalendar: 'metropole' });
    expect(back.status).toBe(200);
  });
});

describe('the warning says what the public will see', () => {
  it('a guichet bookable by agents only: no « Prendre rendez-vous » on the public card', async () => {
    const lone = await createService(server.deps.sql, { code: '9893002' });
    const head = await createAgent(server.deps.sql, { on: [{ serviceId: lone.serviceId, profile: 'chef' }] });
    const loneChef = await signIn(server, head.login);
    const res = await loneChef.patch(`/api/v1/agent/services/${lone.code}/guichets/${lone.guichetIds[0]}`, {
      bookableBy: ['agentService', 'agentExterieur'],
      preview: true,
    });
    const [warning] = (await res.json()).warnings as { code: string; message: string }[];
    expect(warning).toMatchObject({
      code: 'NO_BOOKABLE_GUICHET',
      message: expect.stringMatching(/n’affiche pas « Prendre rendez-vous ».*seuls les agents/),
    });
  });
});

describe('replanning', () => {
  it('a new duration replans back-to-back rdvs without one landing on the next before it moves', async () => {
    const sql = server.deps.sql;
    const own = await createService(sql, { code: '9893003', guichets: [{ name: 'Seul', plages: MORNINGS }] });
    const head = await signIn(
      server,
      (await createAgent(sql, { on: [{ serviceId: own.serviceId, profile: 'chef' }] })).login,
    );
    const booker = await signIn(
      server,
      (await createAgent(sql, { on: [{ serviceId: own.serviceId, profile: 'agent' }] })).login,
    );
    const g = own.guichetIds[0]!;
    const booked: { id: number; code: string }[] = [];
    for (const [n, [start, end]] of [
      ['09:00', '09:20'],
      ['09:20', '09:40'],
    ].entries()) {
      const res = await booker.post(`/api/v1/agent/services/${own.code}/rdvs`, {
        guichetId: g,
        motifId: own.motifId,
        type: 'physique',
        start: at('2026-12-14', start!),
        end: at('2026-12-14', end!),
        usager: usager(20 + n, { numeroFiscal: undefined }),
        precisions: 'durée',
      });
      expect(res.status).toBe(201);
      booked.push(await res.json());
    }
    const res = await head.put(`/api/v1/agent/services/${own.code}/config`, {
      active: true,
      durationMinutes: 30,
      holidayCalendar: 'metropole',
      selfCancellation: true,
      decision: 'replan',
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect([...(await res.json()).outcome.replanned].sort()).toEqual(codes(booked));
    const moved = await sql<{ start: Date; end: Date }[]>`
      select lower(during) as start, upper(during) as end from rdvs where guichet_id = ${g} and active
      order by lower(during)`;
    expect(moved.map((m) => (m.end.getTime() - m.start.getTime()) / 60_000)).toEqual([30, 30]);
  });
});
