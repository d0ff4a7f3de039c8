import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { createLogger } from '../../server/infra/logger.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, ownerOf, type ServiceFixture, usager } from '../helpers/fixtures.ts';

const TOKEN = 'jeton-des-metriques-de-test';
const clock = fixedClock(new Date('2026-12-03T10:00:00+01:00'));
const lines: Record<string, unknown>[] = [];
let plain: TestServer;
let server: TestServer;
let svc: ServiceFixture;

beforeAll(async () => {
  plain = await startTestServer({ clock });
  server = await startTestServer({
    clock,
    env: { METRICS_TOKEN: TOKEN },
    log: createLogger(
      'info',
      new Writable({
        write(chunk, _e, done) {
          lines.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    ),
  });
  svc = await createService(server.deps.sql, { code: '9900001' });
});
afterAll(async () => {
  await plain.close();
  await server.close();
});

/** The value of a metric's sample that has every label given (whatever their order). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text
    .split('\n')
    .find(
      (l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const scrape = () => fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });

describe('GET /metrics', () => {
  it('does not exist without METRICS_TOKEN, and asks for the token when it is set', async () => {
    expect((await fetch(`${plain.url}/metrics`)).status).toBe(404);
    const anonymous = await fetch(`${server.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer faux' } })).status).toBe(
      401,
    );
  });

  it('tells request latency by route, bookings, holds, sockets, the outbox, the pool and the event loop', async () => {
    const socket = connect(server.url, { transports: ['websocket'] });
    await socket.emitWithAck('subscribe', { serviceCode: svc.code });
    const held = await fetch(`${server.url}/api/v1/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        serviceCode: svc.code,
        motifId: svc.motifId,
        type: 'physique',
        start: '2026-12-09T09:10:00+01:00',
      }),
    });
    const hold = await held.json();
    const booked = await fetch(`${server.url}/api/v1/rdvs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), cookie: ownerOf(held) },
      body: JSON.stringify({ holdId: hold.holdId, usager: usager(1), precisions: 'métriques' }),
    });
    expect(booked.status).toBe(201);
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    const get = (name: string, labels: Record<string, string>) => sample(text, name, labels);
    expect(
      get('guichet_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/rdvs',
        status: '201',
      }),
    ).toBe(1);
    expect(get('guichet_bookings_total', { canal: 'internet' })).toBe(1);
    expect(get('guichet_holds_total', { event: 'posee' })).toBe(1);
    expect(get('guichet_sockets_connected', { namespace: '/' })).toBe(1);
    expect(get('guichet_outbox_depth', {})).toBeGreaterThanOrEqual(0);
    expect(get('guichet_db_connections', { state: 'open' })).toBeGreaterThan(0);
    expect(text).toMatch(/nodejs_eventloop_lag_seconds/);
    // No path of a resource, no code, no name: routes are patterns.
    expect(text).not.toMatch(new RegExp(svc.code));
    socket.close();
  });
});

describe('logs carry the request id end to end', () => {
  it('from the HTTP line to the use case’s own lines', async () => {
    const requestId = `essai-${randomUUID().slice(0, 8)}`;
    // A refused sign-in: the use case logs why, the HTTP layer logs the request.
    const refused = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, origin: server.url },
      body: JSON.stringify({ login: 'personne.inconnue', password: 'faux' }),
    });
    expect(refused.status).toBe(401);
    const ours = lines.filter((l) => l.requestId === requestId).map((l) => l.msg);
    expect(ours).toEqual(['connexion refusée', 'requête']);
    // An id that is not one (free text, too long) is replaced by ours.
    const res = await fetch(`${server.url}/healthz`, {
      headers: { 'x-request-id': 'des espaces et <script>' },
    });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
