import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineDocument } from '../../server/cli/openapi.ts';
import { fixedClock } from '../../server/infra/clock.ts';
import { agentClient, sessionOf } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { connectedAgentSocket as agentSocket, connected, disconnected, waitFor } from '../helpers/live.ts';
import { ROWS, type Row } from '../helpers/matrix-routes.ts';
import { buildWorld, type Cell, MATRIX_PROFILES, MISSING_RDV, type World } from '../helpers/matrix-world.ts';

/*
 * The authorisation matrix against the real API: every operation the OpenAPI document lists under
 * /api/v1/agent and /api/v1/auth × every profile × an object inside or outside the zone de
 * compétence. The operations come from the document, so a new route without an expectation row
 * fails here. Refusals are 403 problem+json in French, or 404 where an rdv's existence must not
 * leak (and then exactly what a missing rdv answers); signed out, 401; allowed writes leave one
 * audit line naming the agent. The rows live in tests/helpers/matrix-routes.ts.
 */
const clock = fixedClock(new Date('2026-12-03T09:00:00+01:00'));
const AGENT_API = /^\/api\/v1(\/(agent|auth)\/.*)$/;

type Document = { paths: Record<string, Record<string, unknown>> };
/** "METHOD /path" of every agent operation of a document, as the rows are keyed. */
const operationsOf = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, item]) => {
    const local = AGENT_API.exec(path)?.[1];
    return local ? Object.keys(item).map((method) => `${method.toUpperCase()} ${local}`) : [];
  });
const OPERATIONS = operationsOf(offlineDocument() as unknown as Document);

let server: TestServer;
let world: World;

beforeAll(async () => {
  server = await startTestServer({ clock, env: { RATE_LIMIT_LOGINS_PER_ADDRESS: '10000' } });
  world = await buildWorld(server);
}, 120_000);
afterAll(() => server.close());

/** Said in French: an accented letter, or a French word. */
const FRENCH = /[àâçéèêëîïôûùüœ’]|\b(le|la|les|de|des|du|un|une|ce|cette|vous|votre|pas|est)\b/i;
const REFUSALS: Record<number, { code: string; title: string }> = {
  401: { code: 'UNAUTHENTICATED', title: 'Authentification requise' },
  403: { code: 'FORBIDDEN', title: 'Action non autorisée' },
  404: { code: 'NOT_FOUND', title: 'Ressource introuvable' },
};

async function problemOf(res: Response, status: number) {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await res.json()) as { status: number; code: string; title: string; detail: string };
  expect(problem).toMatchObject({ status, ...REFUSALS[status] });
  expect(problem.detail).toMatch(FRENCH);
  return problem;
}

function cellOf(profile: Cell['profile'], inZone: boolean, signedOut = false): Cell {
  const agent = world.agents.get(profile)!;
  const target = inZone ? world.home : world.elsewhere;
  const anonymous = agentClient(server);
  return {
    world,
    profile,
    inZone,
    target,
    login: agent.login,
    client: signedOut ? anonymous : agent.client,
    disposable: async () => (signedOut ? anonymous : world.throwaway(profile)),
    rdv: () => world.rdv(target),
  };
}

async function runCell(row: Row, cell: Cell) {
  const agentId = world.agents.get(cell.profile)!.id;
  const before = row.audited ? await world.audited(agentId) : 0;
  const res = await row.call(cell);
  const expected = row.expect(cell.profile, cell.inZone);
  expect(res.status, await res.clone().text()).toBe(expected);
  if (expected >= 400) {
    const refused = await problemOf(res, expected);
    if (expected === 404 && row.hidesRdv) {
      // Refused or missing, the answer is the same: nothing tells that the rdv exists.
      const absent = await problemOf(await row.call({ ...cell, rdv: async () => MISSING_RDV }), 404);
      expect({ ...refused, instance: '' }).toEqual({ ...absent, instance: '' });
    }
  } else if (row.shows) {
    row.shows((await res.json()) as never, cell);
  }
  if (row.audited) expect(await world.audited(agentId)).toBe(before + (expected < 400 ? 1 : 0));
}

describe('the matrix covers every agent route', () => {
  it('has a row for every agent operation of the OpenAPI document, and none for a route that is gone', () => {
    expect(OPERATIONS.length).toBeGreaterThan(40);
    expect(
      OPERATIONS.filter((op) => !(op in ROWS)),
      'opérations sans ligne',
    ).toEqual([]);
    expect(
      Object.keys(ROWS).filter((op) => !OPERATIONS.includes(op)),
      'lignes sans opération',
    ).toEqual([]);
  });

  it('the running API routes and serves exactly the documented operations (no route outside the document)', async () => {
    const routed = server.api.routes
      .filter((r) => r.method !== 'ALL' && AGENT_API.test(r.path))
      .map((r) => `${r.method} ${AGENT_API.exec(r.path)![1]!.replace(/:(\w+)/g, '{$1}')}`);
    expect([...new Set(routed)].sort()).toEqual([...OPERATIONS].sort());
    const served = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as Document;
    expect(operationsOf(served).sort()).toEqual([...OPERATIONS].sort());
  });
});

describe('every agent route × every profile × in and out of the zone', () => {
  for (const op of OPERATIONS) {
    const row = ROWS[op];
    if (!row) {
      it(`${op}: has an expectation row`, () =>
        expect.fail(`ajoutez une ligne « ${op} » à matrix-routes.ts`));
      continue;
    }
    for (const profile of MATRIX_PROFILES) {
      for (const inZone of row.zoned ? [true, false] : [true]) {
        const where = row.zoned ? (inZone ? ' rattaché' : ' extérieur') : '';
        it(`${op} — ${profile}${where} → ${row.expect(profile, inZone)}`, () =>
          runCell(row, cellOf(profile, inZone)));
      }
    }
  }
});

describe('signed out, every agent route answers 401', () => {
  for (const op of OPERATIONS.filter((o) => !ROWS[o]?.public)) {
    it(op, async () => {
      const row = ROWS[op];
      if (!row) return expect.fail(`ajoutez une ligne « ${op} » à matrix-routes.ts`);
      await problemOf(await row.call(cellOf('administrateur', true, true)), 401);
    });
  }
});

describe('the /agent socket joins an agenda’s room as the authorisation module says', () => {
  const sockets = new Map<string, Socket>();
  afterAll(() => {
    for (const s of sockets.values()) s.close();
  });

  for (const profile of MATRIX_PROFILES) {
    for (const inZone of [true, false]) {
      const allowed = profile === 'administrateur' || inZone;
      it(`${profile} ${inZone ? 'rattaché' : 'extérieur'} → ${allowed ? 'joins' : 'refused'}`, async () => {
        if (!sockets.has(profile))
          sockets.set(profile, await agentSocket(server.url, world.agents.get(profile)!.client.cookie));
        const code = (inZone ? world.home : world.elsewhere).code;
        const ack = (await sockets.get(profile)!.emitWithAck('join', { serviceCode: code })) as {
          ok: boolean;
          error?: string;
        };
        expect(ack.ok).toBe(allowed);
        if (!allowed) expect(ack.error).toMatch(FRENCH);
      });
    }
  }

  it('detached from the service, an agent’s sockets are dropped at once and may not join it again', async () => {
    const { home } = world;
    const leaving = await world.member(home);
    const chef = world.agents.get('chef')!.client;
    const [his, control] = await Promise.all([
      sessionOf(server, leaving.id).then((c) => agentSocket(server.url, c.cookie)),
      agentSocket(server.url, chef.cookie),
    ]);
    sockets.set('détaché', his).set('contrôle', control);
    for (const s of [his, control])
      expect(await s.emitWithAck('join', { serviceCode: home.code })).toEqual({ ok: true });
    const heard: unknown[] = [];
    his.on('rdv-created', (e) => heard.push(e));
    const dropped = disconnected(his);

    const res = await chef.call(`/api/v1/agent/services/${home.code}/agents/${leaving.id}`, {
      method: 'DELETE',
    });
    expect(res.status).toBe(200);
    // The server drops his sockets; his page connects again, with his rights as they now are.
    expect(await dropped).toBe('io server disconnect');
    his.connect();
    await connected(his);
    expect((await his.emitWithAck('join', { serviceCode: home.code })).ok).toBe(false);
    // An rdv of the service reaches its agenda (the chef's socket), not the detached agent's.
    const created = waitFor(control, 'rdv-created');
    expect((await ROWS['POST /agent/services/{code}/rdvs']!.call(cellOf('chef', true))).status).toBe(201);
    await created;
    // Events to one socket arrive in order: an ack sent after the event comes after it.
    await his.emitWithAck('join', { serviceCode: 'pas un code' });
    expect(heard).toEqual([]);
  });

  it('signed out → the namespace refuses the connection', async () => {
    await expect(agentSocket(server.url, '')).rejects.toThrow(/Authentification requise/);
  });
});
