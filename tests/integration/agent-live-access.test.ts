import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { SESSION_IDLE_MS } from '../../server/domain/sessions.ts';
import { fixedClock } from '../../server/infra/clock.ts';
import type { RdvEvent } from '../../server/realtime/events.ts';
import { createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture, usager } from '../helpers/fixtures.ts';
import { agentSocket, connected, disconnected, eventsOnTheWire, waitFor } from '../helpers/live.ts';

/*
 * What an agent's socket may hear is decided by his session and his rights as they are now:
 * on recovery (before Socket.IO writes the missed packets), on every join, when a chef changes
 * his habilitations, when his session is replaced or expires. And only from our own pages.
 */
const START = new Date('2026-12-03T10:00:00+01:00');
const clock = fixedClock(START);
let server: TestServer;
let nevers: ServiceFixture;
let bourges: ServiceFixture;
let chef: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  server = await startTestServer({ clock });
  nevers = await createService(server.deps.sql, { code: '9811001' });
  bourges = await createService(server.deps.sql, { code: '9811002' });
  const c = await createAgent(server.deps.sql, {
    name: 'chef.nevers',
    on: [{ serviceId: nevers.serviceId, profile: 'chef' }],
  });
  chef = await signIn(server, c.login);
});
afterAll(() => server.close());

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
function open(node: TestServer, cookie: string, options: Parameters<typeof agentSocket>[2] = {}) {
  const s = agentSocket(node.url, cookie, { reconnection: false, ...options });
  sockets.push(s);
  return s;
}

let rdvs = 0;
/** An rdv event of the service, with the usager's personal data, as the app publishes it. */
function publishRdv(node: TestServer, serviceCode: string): RdvEvent {
  const e: RdvEvent = {
    serviceCode,
    rdvId: 900_000 + ++rdvs,
    code: `TEST${rdvs}`,
    guichetId: 1,
    start: '2026-12-04T08:00:00.000Z',
    end: '2026-12-04T08:20:00.000Z',
    type: 'physique',
    canal: 'agentService',
    status: 'confirme',
  };
  node.deps.events.agent(serviceCode, 'rdv-created', e);
  return e;
}

const agentOf = async (
  node: TestServer,
  svc: ServiceFixture,
  profile: 'agent' | 'consultation' = 'agent',
) => {
  const a = await createAgent(node.deps.sql, { on: [{ serviceId: svc.serviceId, profile }] });
  return { ...a, me: await signIn(node, a.login) };
};

/**
 * A socket in the service's room loses its transport; while it is away `meanwhile` ends its
 * session (or its rights) and an rdv event of the service is published; it then comes back with
 * its recovery data (pid and offset). Returns what it heard on the wire after it went away, and
 * the server's answer.
 */
async function recoveryAttempt(
  node: TestServer,
  svc: ServiceFixture,
  meanwhile: (a: { id: number; me: Awaited<ReturnType<typeof signIn>> }) => Promise<void>,
) {
  const a = await agentOf(node, svc);
  const witness = open(node, (await agentOf(node, svc)).me.cookie);
  const socket = open(node, a.me.cookie);
  const wire = eventsOnTheWire(socket);
  await connected(socket);
  expect(await socket.emitWithAck('join', { serviceCode: svc.code })).toEqual({ ok: true });
  expect(await witness.emitWithAck('join', { serviceCode: svc.code })).toEqual({ ok: true });
  // An event heard: the client now holds an offset to recover from.
  const first = waitFor<RdvEvent>(socket, 'rdv-created');
  publishRdv(node, svc.code);
  await first;
  expect(wire).toHaveLength(1);

  const away = disconnected(socket);
  socket.io.engine.close(); // the transport drops: the server keeps the socket's state for recovery
  await away;
  await meanwhile(a);
  const sent = publishRdv(node, svc.code);
  // Heard by the witness: in the stream, for the recovery to find.
  await waitFor<RdvEvent>(witness, 'rdv-created', (e) => e.rdvId === sent.rdvId);

  const answer = new Promise<string>((resolve) => {
    socket.once('connect_error', (e) => resolve(e.message));
    socket.once('connect', () => resolve(`connecté (récupéré : ${socket.recovered})`));
  });
  socket.connect(); // with the pid and offset of the lost connection
  const result = await answer;
  const room = node.guichet.realtime.io.of('/agent').adapter.rooms.get(`agent:${svc.code}`);
  return { heardAfter: wire.slice(1), result, roomSize: room?.size ?? 0 };
}

const signOut = async (a: { me: Awaited<ReturnType<typeof signIn>> }) => {
  expect((await a.me.post('/api/v1/auth/logout')).status).toBe(204);
};

describe('connection-state recovery (in memory)', () => {
  it('a session signed out while its socket was away gets no missed event on the wire, and is refused', async () => {
    const { heardAfter, result, roomSize } = await recoveryAttempt(server, nevers, signOut);
    expect(heardAfter).toEqual([]);
    expect(result).toMatch(/Authentification/);
    expect(roomSize).toBe(1); // the witness alone
  });

  it('nor does an agent removed from the service meanwhile (his session lives on): a fresh connection, no room', async () => {
    const { heardAfter, result, roomSize } = await recoveryAttempt(server, nevers, async (a) => {
      await server.deps.sql`delete from habilitations where agent_id = ${a.id}`;
    });
    expect(heardAfter).toEqual([]);
    expect(result).toBe('connecté (récupéré : false)');
    expect(roomSize).toBe(1);
  });

  it('nor an agent whose password must now be changed', async () => {
    const { heardAfter, result } = await recoveryAttempt(server, nevers, async (a) => {
      await server.deps.sql`update agents set must_change_password = true where id = ${a.id}`;
    });
    expect(heardAfter).toEqual([]);
    expect(result).toMatch(/mot de passe/);
  });

  it('a session still valid and allowed recovers, missed events included', async () => {
    const { heardAfter, result } = await recoveryAttempt(server, nevers, async () => {});
    expect(result).toBe('connecté (récupéré : true)');
    expect(heardAfter).toHaveLength(1);
  });
});

describe('the handshake', () => {
  it('refuses an agent whose first password is not changed yet, as the API does', async () => {
    const a = await agentOf(server, nevers);
    await server.deps.sql`update agents set must_change_password = true where id = ${a.id}`;
    await expect(connected(open(server, a.me.cookie))).rejects.toThrow(
      /choisissez d’abord votre mot de passe/,
    );
  });

  it('takes the API’s Origin rule: our pages only, or Sec-Fetch-Site: same-origin without an Origin', async () => {
    const { me } = await agentOf(server, nevers);
    const withHeaders = (headers: Record<string, string>) =>
      open(server, '', { extraHeaders: { cookie: me.cookie, ...headers } });
    await expect(connected(withHeaders({ origin: 'https://evil.example' }))).rejects.toThrow(
      /ne vient pas des pages de Guichet/,
    );
    await expect(connected(withHeaders({}))).rejects.toThrow(/ne vient pas des pages de Guichet/);
    await expect(connected(withHeaders({ 'sec-fetch-site': 'cross-site' }))).rejects.toThrow(
      /pages de Guichet/,
    );
    await connected(withHeaders({ origin: server.url }));
    await connected(withHeaders({ 'sec-fetch-site': 'same-origin' }));
  });
});

describe('rights that change while the socket is open', () => {
  const detach = (id: number) =>
    chef.call(`/api/v1/agent/services/${nevers.code}/agents/${id}`, { method: 'DELETE' });

  it('“Retirer du service” drops the agent’s sockets within a second; he may no longer join', async () => {
    const a = await agentOf(server, nevers);
    const socket = open(server, a.me.cookie);
    await connected(socket);
    expect(await socket.emitWithAck('join', { serviceCode: nevers.code })).toEqual({ ok: true });
    const dropped = disconnected(socket);
    const started = performance.now();
    expect((await detach(a.id)).status).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    expect(performance.now() - started).toBeLessThan(1000);
    // His session lives on: the page connects again, and the join is refused.
    socket.connect();
    await connected(socket);
    expect((await socket.emitWithAck('join', { serviceCode: nevers.code })).ok).toBe(false);
  });

  it('a change of profile drops them too; they come back and follow with the new rights', async () => {
    const a = await agentOf(server, nevers);
    const socket = open(server, a.me.cookie);
    await connected(socket);
    expect(await socket.emitWithAck('join', { serviceCode: nevers.code })).toEqual({ ok: true });
    const dropped = disconnected(socket);
    const res = await chef.put(`/api/v1/agent/services/${nevers.code}/agents/${a.id}`, {
      profile: 'consultation',
    });
    expect(res.status).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    socket.connect();
    await connected(socket);
    expect(await socket.emitWithAck('join', { serviceCode: nevers.code })).toEqual({ ok: true });
  });

  it('each join reads the rights from the database, not from the handshake', async () => {
    const a = await agentOf(server, nevers);
    const socket = open(server, a.me.cookie);
    await connected(socket);
    await server.deps.sql`delete from habilitations where agent_id = ${a.id}`;
    expect((await socket.emitWithAck('join', { serviceCode: nevers.code })).ok).toBe(false);
  });

  it('signing in again from the same browser ends the previous session and drops its sockets', async () => {
    const a = await agentOf(server, nevers);
    const socket = open(server, a.me.cookie);
    await connected(socket);
    const dropped = disconnected(socket);
    expect(
      (await a.me.post('/api/v1/auth/login', { login: a.login, password: 'mot-de-passe-de-test' })).status,
    ).toBe(200);
    expect(await dropped).toBe('io server disconnect');
  });

  it('a session that expires drops its sockets at the next sweep, unless the agent’s requests slid it', async () => {
    const idle = await agentOf(server, nevers);
    const busy = await agentOf(server, nevers);
    const [a, b] = [open(server, idle.me.cookie), open(server, busy.me.cookie)];
    await Promise.all([connected(a), connected(b)]);
    try {
      clock.advance(SESSION_IDLE_MS * 0.75);
      expect((await busy.me.get('/api/v1/auth/me')).status).toBe(200); // slides the busy one
      clock.advance(SESSION_IDLE_MS * 0.25 + 1);
      const dropped = disconnected(a);
      expect(await server.guichet.sweepSessions()).toBe(1);
      expect(await dropped).toBe('io server disconnect');
      expect(b.connected).toBe(true);
      expect(await b.emitWithAck('join', { serviceCode: nevers.code })).toEqual({ ok: true });
    } finally {
      clock.set(START);
    }
  });
});

describe('an agent of another service', () => {
  it('agent.bourges cannot join Nevers and hears nothing of its rdvs, created or cancelled', async () => {
    const neversAgent = await agentOf(server, nevers);
    const bourgesAgent = await agentOf(server, bourges);
    const inside = open(server, neversAgent.me.cookie);
    const outsider = open(server, bourgesAgent.me.cookie);
    const wire = eventsOnTheWire(outsider);
    await Promise.all([connected(inside), connected(outsider)]);
    expect(await inside.emitWithAck('join', { serviceCode: nevers.code })).toEqual({ ok: true });
    expect((await outsider.emitWithAck('join', { serviceCode: nevers.code })).ok).toBe(false);
    expect(await outsider.emitWithAck('join', { serviceCode: bourges.code })).toEqual({ ok: true });

    const created = waitFor<RdvEvent>(inside, 'rdv-created');
    const res = await neversAgent.me.post(`/api/v1/agent/services/${nevers.code}/rdvs`, {
      guichetId: nevers.guichetIds[0],
      motifId: nevers.motifId,
      type: 'physique',
      start: '2026-12-04T09:00:00+01:00',
      end: '2026-12-04T09:20:00+01:00',
      usager: usager(81),
      precisions: 'Nevers seulement',
    });
    expect(res.status).toBe(201);
    const rdv = await res.json();
    expect((await created).rdvId).toBe(rdv.id);
    const cancelled = waitFor<RdvEvent>(inside, 'rdv-updated', (e) => e.rdvId === rdv.id);
    expect((await neversAgent.me.post(`/api/v1/agent/rdvs/${rdv.id}/cancel`)).status).toBe(200);
    await cancelled;
    // Everything published to Nevers has reached a Nevers agent; an event of his own service,
    // published after, reaches the outsider: had a Nevers event been on his wire, it came first.
    const own = waitFor<RdvEvent>(outsider, 'rdv-created');
    const mine = publishRdv(server, bourges.code);
    expect((await own).rdvId).toBe(mine.rdvId);
    expect(wire).toHaveLength(1);
    expect(wire[0]).toContain(`"serviceCode":"${bourges.code}"`);
  });
});

describe.runIf(inject('redisUrl'))('with the Redis streams adapter, two nodes', () => {
  let a: TestServer;
  let b: TestServer;
  let svc: ServiceFixture;
  beforeAll(async () => {
    [a, b] = await Promise.all([
      startTestServer({ clock, redis: true }),
      startTestServer({ clock, redis: true }),
    ]);
    svc = await createService(a.deps.sql, { code: '9811003' });
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('a session signed out while its socket was away gets no missed event on the wire, and is refused', async () => {
    const { heardAfter, result } = await recoveryAttempt(b, svc, signOut);
    expect(heardAfter).toEqual([]);
    expect(result).toMatch(/Authentification/);
  });

  it('a session still valid recovers through the stream, missed events included', async () => {
    const { heardAfter, result } = await recoveryAttempt(b, svc, async () => {});
    expect(result).toBe('connecté (récupéré : true)');
    expect(heardAfter).toHaveLength(1);
  });

  it('an agent removed from the service on node A loses his socket on node B within a second', async () => {
    const c = await createAgent(a.deps.sql, { on: [{ serviceId: svc.serviceId, profile: 'chef' }] });
    const chefA = await signIn(a, c.login);
    const agent = await agentOf(b, svc);
    const socket = open(b, agent.me.cookie);
    await connected(socket);
    expect(await socket.emitWithAck('join', { serviceCode: svc.code })).toEqual({ ok: true });
    const dropped = disconnected(socket);
    const started = performance.now();
    const res = await chefA.call(`/api/v1/agent/services/${svc.code}/agents/${agent.id}`, {
      method: 'DELETE',
    });
    expect(res.status).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
