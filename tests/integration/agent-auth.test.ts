import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SESSION_IDLE_MS } from '../../server/domain/sessions.ts';
import { fixedClock } from '../../server/infra/clock.ts';
import { agentClient, createAgent, PASSWORD, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';

const clock = fixedClock(new Date('2026-12-03T10:00:00+01:00'));
let server: TestServer;
let svc: ServiceFixture;
let other: ServiceFixture;
let agent: { id: number; login: string };

beforeAll(async () => {
  server = await startTestServer({ clock, env: { RATE_LIMIT_LOGIN_FAILURES: '3' } });
  svc = await createService(server.deps.sql, { code: '9810001' });
  other = await createService(server.deps.sql, { code: '9810002' });
  agent = await createAgent(server.deps.sql, { on: [{ serviceId: svc.serviceId, profile: 'agent' }] });
});
afterAll(() => server.close());

function socketOf(cookie: string): Socket {
  return connect(`${server.url}/agent`, {
    transports: ['websocket'],
    extraHeaders: { origin: server.url, cookie },
    reconnection: false,
  });
}

const connected = (s: Socket) =>
  new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', (e) => reject(e));
  });
const disconnected = (s: Socket) => new Promise<string>((resolve) => s.once('disconnect', (r) => resolve(r)));

describe('sign-in', () => {
  it('signs in with the right password: an httpOnly, SameSite=Lax session cookie and who I am', async () => {
    const res = await agentClient(server).post('/api/v1/auth/login', {
      login: agent.login,
      password: PASSWORD,
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^guichet_session=[a-z2-7]{32};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // plain http in the tests; PUBLIC_URL https adds it
    const me = await res.json();
    expect(me).toMatchObject({ login: agent.login, profile: 'agent', services: [svc.code] });
    // Only the SHA-256 of the token is stored.
    const token = cookie.split(';')[0]!.split('=')[1]!;
    const rows = await server.deps.sql`select id from sessions where id = ${token}`;
    expect(rows).toHaveLength(0);
  });

  it('answers the same for an unknown login and a wrong password', async () => {
    const wrong = await agentClient(server).post('/api/v1/auth/login', {
      login: agent.login,
      password: 'faux',
    });
    const unknown = await agentClient(server).post('/api/v1/auth/login', {
      login: 'personne.xyz',
      password: 'faux',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await wrong.json(), await unknown.json()];
    expect(a.detail).toBe('Identifiant ou mot de passe incorrect.');
    expect(b.detail).toBe(a.detail);
    expect(b.code).toBe(a.code);
  });

  it('limits failed sign-ins per login, with a clear French message', async () => {
    const target = await createAgent(server.deps.sql, {
      on: [{ serviceId: svc.serviceId, profile: 'agent' }],
    });
    for (let i = 0; i < 3; i++) {
      expect(
        (await agentClient(server).post('/api/v1/auth/login', { login: target.login, password: 'x' })).status,
      ).toBe(401);
    }
    // Even the right password waits now: the login is under attack.
    const res = await agentClient(server).post('/api/v1/auth/login', {
      login: target.login,
      password: PASSWORD,
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await res.json()).detail).toMatch(/Trop de tentatives de connexion\. Réessayez dans \d+ minute/);
  });

  it('refuses a cookie-authenticated write from another origin, or with no Origin at all', async () => {
    const me = await signIn(server, agent.login);
    const foreign = await me.call('/api/v1/auth/logout', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).detail).toMatch(/ne vient pas des pages de Guichet/);
    const bare = await fetch(`${server.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie: me.cookie },
    });
    expect(bare.status).toBe(403);
    // Still signed in: nothing was done.
    expect((await me.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('rotates the session at sign-in: the previous cookie’s session ends', async () => {
    const first = await signIn(server, agent.login);
    const again = await first.post('/api/v1/auth/login', { login: agent.login, password: PASSWORD });
    expect(again.status).toBe(200);
    expect((await first.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('slides the expiry with activity, and ends an idle session', async () => {
    const me = await signIn(server, agent.login);
    clock.advance(SESSION_IDLE_MS * 0.75);
    expect((await me.get('/api/v1/auth/me')).status).toBe(200); // slid forward
    clock.advance(SESSION_IDLE_MS * 0.75);
    expect((await me.get('/api/v1/auth/me')).status).toBe(200);
    clock.advance(SESSION_IDLE_MS + 1);
    const expired = await me.get('/api/v1/auth/me');
    expect(expired.status).toBe(401);
    expect((await expired.json()).detail).toMatch(/connectez-vous/);
  });
});

describe('sign-out and live sockets', () => {
  it('the /agent namespace takes the session cookie, and joins only rooms the agent may follow', async () => {
    const me = await signIn(server, agent.login);
    const anonymous = socketOf('');
    await expect(connected(anonymous)).rejects.toThrow(/Authentification/);
    anonymous.close();
    const socket = socketOf(me.cookie);
    await connected(socket);
    expect(await socket.emitWithAck('join', { serviceCode: svc.code })).toEqual({ ok: true });
    expect((await socket.emitWithAck('join', { serviceCode: other.code })).ok).toBe(false);
    socket.close();
  });

  it('signing out drops the session’s sockets at once, on every device with “toutes mes sessions”', async () => {
    const laptop = await signIn(server, agent.login);
    const a = socketOf(laptop.cookie);
    await connected(a);
    const closedA = disconnected(a);
    const started = performance.now();
    expect((await laptop.post('/api/v1/auth/logout')).status).toBe(204);
    expect(await closedA).toBe('io server disconnect');
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await laptop.get('/api/v1/auth/me')).status).toBe(401);

    // Two devices, two sessions (each signed in without the other's cookie).
    const desk = await signIn(server, agent.login);
    const phone = await signIn(server, agent.login);
    const sockets = [socketOf(desk.cookie), socketOf(phone.cookie)];
    await Promise.all(sockets.map(connected));
    const closed = sockets.map(disconnected);
    const res = await desk.post('/api/v1/auth/logout-all');
    expect(res.status).toBe(200);
    expect((await res.json()).sessions).toBeGreaterThanOrEqual(2);
    expect(await Promise.all(closed)).toEqual(['io server disconnect', 'io server disconnect']);
    expect((await phone.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('a recovered connection is checked again: a revoked session gets neither its socket nor its rooms back', async () => {
    const me = await signIn(server, agent.login);
    const socket = connect(`${server.url}/agent`, {
      transports: ['websocket'],
      extraHeaders: { origin: server.url, cookie: me.cookie },
      reconnectionDelay: 50,
      reconnectionDelayMax: 50,
    });
    await connected(socket);
    expect(await socket.emitWithAck('join', { serviceCode: svc.code })).toEqual({ ok: true });
    // The session ends while the socket is away (its transport dropped, not a sign-out).
    await server.deps.sql`delete from sessions where agent_id = ${agent.id}`;
    const refused = new Promise<string>((resolve) => socket.once('connect_error', (e) => resolve(e.message)));
    socket.io.engine.close();
    expect(await refused).toMatch(/Authentification/);
    expect(socket.connected).toBe(false);
    socket.close();
  });
});

describe.runIf(inject('redisUrl'))('with the Redis streams adapter', () => {
  let node: TestServer;
  beforeAll(async () => {
    node = await startTestServer({ clock, redis: true });
  });
  afterAll(() => node.close());

  it('an agent socket that drops is kept for recovery without taking the node down', async () => {
    // Recovery persists the socket's data through the adapter (msgpack in Redis): it once held
    // a function, and the node crashed on the first agent socket that dropped.
    const local = await createService(node.deps.sql, { code: '9810003' });
    const a = await createAgent(node.deps.sql, { on: [{ serviceId: local.serviceId, profile: 'agent' }] });
    const me = await signIn(node, a.login);
    const socket = connect(`${node.url}/agent`, {
      transports: ['websocket'],
      extraHeaders: { origin: node.url, cookie: me.cookie },
      reconnectionDelay: 50,
      reconnectionDelayMax: 50,
    });
    await connected(socket);
    expect(await socket.emitWithAck('join', { serviceCode: local.code })).toEqual({ ok: true });
    const back = new Promise<boolean>((resolve) => socket.once('connect', () => resolve(socket.recovered)));
    socket.io.engine.close();
    await back;
    // Still in the room, and the node still answers.
    expect(await socket.emitWithAck('join', { serviceCode: local.code })).toEqual({ ok: true });
    expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
    socket.close();
  });
});
