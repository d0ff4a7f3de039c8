import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SignedInAgent } from '../../server/app/auth.ts';
import { exportRdvs } from '../../server/app/rdv-export.ts';
import { fixedClock } from '../../server/infra/clock.ts';
import type { Sql } from '../../server/infra/db.ts';
import { createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { sharedDatabase } from '../helpers/db.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';

/*
 * The CSV export holds a pool connection for its cursor: every way it can end must give it back.
 * The node runs on a small pool, under a name of its own so that its connections can be watched
 * in pg_stat_activity.
 */
const APP = `guichet-export-test-${process.pid}`;
const ROWS = 20_000;
const clock = fixedClock(new Date('2026-12-03T09:00:00+01:00'));
let server: TestServer;
let watcher: Sql;
let big: ServiceFixture;
let small: ServiceFixture;
type Client = Awaited<ReturnType<typeof signIn>>;
let me: Client;
let agentId: number;

type AuditDetails = { lignes: number; complet: boolean; interruption?: string; du: string };

beforeAll(async () => {
  server = await startTestServer({
    clock,
    env: { DATABASE_POOL_MAX: '6', DATABASE_URL: `${inject('databaseUrl')}?application_name=${APP}` },
  });
  watcher = sharedDatabase(1);
  const sql = server.deps.sql;
  big = await createService(sql, { code: '9800101' });
  small = await createService(sql, { code: '9800102' });
  const agent = await createAgent(sql, {
    on: [
      { serviceId: big.serviceId, profile: 'agent' },
      { serviceId: small.serviceId, profile: 'agent' },
    ],
  });
  agentId = agent.id;
  me = await signIn(server, agent.login);
  // Enough rows (40 batches) that no export ends before its client leaves. Cancelled rdvs: they
  // are listed and exported all the same, and neither the one-rdv-per-guichet rule nor the
  // uniqueness of active codes gets in the way of 20,000 rows on one guichet.
  await sql`
    with u as (
      insert into usagers (type, civilite, nom_usage, prenoms, telephones)
      values ('particulier', 'M', 'MASSE', 'Paul', array['+33612345678']) returning id)
    insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal, status, cancelled_at)
    select 'EXPORT', ${big.serviceId}, ${big.guichetIds[0]!}, ${big.motifId}, u.id, 'physique',
           tstzrange('2026-12-14T00:00:00+01:00'::timestamptz + i * interval '1 second',
                     '2026-12-14T00:00:00+01:00'::timestamptz + i * interval '1 second' + interval '20 minutes', '[)'),
           'internet', 'annule', now()
    from u, generate_series(1, ${ROWS}) i`;
  // Cells a spreadsheet would run as formulas, whatever their first character.
  const names = ['=1+1', '+33 6 12', '-2+3', '@SUM(A1)', '\tTAB', '\rCR'];
  for (const [i, nom] of names.entries()) {
    await sql`
      with u as (
        insert into usagers (type, civilite, nom_usage, prenoms, telephones)
        values ('particulier', 'MME', ${nom}, 'Anne', array['+33612345678']) returning id)
      insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal, status, cancelled_at)
      select 'FORMUL', ${small.serviceId}, ${small.guichetIds[0]!}, ${small.motifId}, u.id, 'physique',
             tstzrange(${new Date(`2026-12-15T09:0${i}:00+01:00`)}, ${new Date(`2026-12-15T09:0${i}:30+01:00`)}, '[)'),
             'internet', 'annule', now()
      from u`;
  }
});
afterAll(async () => {
  await watcher?.end();
  await server?.close();
});

const bigCsv = `/api/v1/agent/rdvs.csv?from=2026-12-14&to=2026-12-14&service=9800101`;

/** The node's connections still running a query (an export's cursor, open or stuck). */
async function busyConnections(): Promise<number> {
  const [row] = await watcher<{ n: number }[]>`
    select count(*)::int as n from pg_stat_activity where application_name = ${APP} and state <> 'idle'`;
  return row!.n;
}

/** Polls until `check` holds; fails with `what` if it still does not after 15 s. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`toujours pas : ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function exportAudits(): Promise<{ id: number; details: AuditDetails }[]> {
  return watcher<{ id: number; details: AuditDetails }[]>`
    select id::int, details from audit_log where agent_id = ${agentId} and action = 'rdv.export-csv' order by id`;
}

describe('Exporter la liste en csv: the cursor’s connection always goes back to the pool', () => {
  it('when clients leave in the middle of the stream, whatever batch was on its way', async () => {
    const before = (await exportAudits()).length;
    for (let i = 0; i < 5; i++) {
      const controller = new AbortController();
      const res = await me.call(bigCsv, { signal: controller.signal });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      await reader.read(); // the first batch arrived
      controller.abort();
      await reader.cancel().catch(() => {});
    }
    // postgres.js left a connection stuck for good when the client left while a batch was on its
    // way: five abandoned downloads on a pool of six froze the node.
    await until(async () => (await busyConnections()) === 0, 'des exports occupent encore le pool');
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => me.get('/api/v1/agent/rdvs?from=2026-12-14&to=2026-12-14&limit=5')),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(200));
    // Each one is audited as interrupted, with the rows that left.
    await until(
      async () => (await exportAudits()).slice(before).every((a) => a.details.interruption),
      'audit des exports interrompus',
    );
    const audits = (await exportAudits()).slice(before);
    expect(audits).toHaveLength(5);
    for (const a of audits) {
      expect(a.details).toMatchObject({ complet: false, interruption: 'client parti' });
      expect(a.details.lignes).toBeLessThan(ROWS);
    }
  });

  it('when a client stops reading without leaving', async () => {
    const agent: SignedInAgent = {
      sessionId: 'test',
      expiresAt: new Date('2027-01-01'),
      login: 'test',
      name: 'Agent de test',
      mustChangePassword: false,
      context: { agentId, administrateur: false, habilitations: new Map([[big.code, 'agent']]) },
    };
    const deps = { ...server.deps, config: { ...server.deps.config, csvExportStallSeconds: 1 } };
    const { body } = await exportRdvs(deps, agent, {
      from: '2026-12-14',
      to: '2026-12-14',
      service: big.code,
    });
    const reader = body.getReader();
    expect((await reader.read()).done).toBe(false);
    // The stream now holds a batch nobody reads, and its cursor waits: after a second of that,
    // the export ends and the connection goes back.
    await until(async () => (await busyConnections()) === 0, 'l’export abandonné tient le pool');
    await expect(reader.read()).rejects.toThrow(/ne lit plus/);
    const last = (await exportAudits()).at(-1)!;
    expect(last.details).toMatchObject({ complet: false, interruption: 'client inactif' });
    expect(last.details.lignes).toBeGreaterThan(0);
    expect(last.details.lignes).toBeLessThan(ROWS);
  });
});

describe('Exporter la liste en csv: audit and formulas', () => {
  it('writes the audit line before the first byte, and completes it at the end', async () => {
    const res = await me.get(`/api/v1/agent/rdvs.csv?from=2026-12-15&to=2026-12-15&service=${small.code}`);
    expect(res.status).toBe(200);
    // The headers are here, nothing of the body read yet: the export is already in the log.
    const started = (await exportAudits()).at(-1)!;
    expect(started.details).toMatchObject({
      du: '2026-12-15',
      service: small.code,
      lignes: 0,
      complet: false,
    });
    await res.arrayBuffer();
    await until(async () => (await exportAudits()).at(-1)!.details.complet, 'audit de l’export complet');
    const [done] = await watcher<{ details: AuditDetails }[]>`
      select details from audit_log where id = ${started.id}`;
    expect(done!.details).toMatchObject({ lignes: 6, complet: true });
    expect(done!.details.interruption).toBeUndefined();
  });

  it('refuses the export, in French, when its audit line cannot be written', async () => {
    const refused = await createAgent(server.deps.sql, {
      on: [{ serviceId: small.serviceId, profile: 'agent' }],
    });
    const client = await signIn(server, refused.login);
    const fn = `guichet_test_refuse_audit_${refused.id}`;
    await watcher.unsafe(`
      create function ${fn}() returns trigger language plpgsql as $$
      begin raise exception 'journal indisponible'; end $$;
      create trigger ${fn} before insert on audit_log for each row
        when (new.agent_id = ${refused.id}) execute function ${fn}();`);
    try {
      const res = await client.get(
        `/api/v1/agent/rdvs.csv?from=2026-12-15&to=2026-12-15&service=${small.code}`,
      );
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('retry-after')).toBe('5');
      const problem = await res.json();
      expect(problem.code).toBe('EXPORT_NOT_AUDITED');
      expect(problem.detail).toMatch(/journal d’audit.*aucune donnée n’est partie/);
    } finally {
      await watcher.unsafe(`drop trigger ${fn} on audit_log; drop function ${fn}();`);
    }
  });

  it('escapes every cell a spreadsheet would run: = + - @, tab and carriage return', async () => {
    const res = await me.get(`/api/v1/agent/rdvs.csv?from=2026-12-15&to=2026-12-15&service=${small.code}`);
    const text = new TextDecoder().decode(new Uint8Array(await res.arrayBuffer()).slice(3));
    const rows = parse(text, { delimiter: ';', relax_column_count: false }) as string[][];
    expect(rows.slice(1).map((r) => r[3])).toEqual([
      `'=1+1 ANNE`,
      `'+33 6 12 ANNE`,
      `'-2+3 ANNE`,
      `'@SUM(A1) ANNE`,
      `'\tTAB ANNE`,
      `'\rCR ANNE`,
    ]);
  });
});
