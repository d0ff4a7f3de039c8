import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionIdOf } from '../../server/app/auth.ts';
import { fixedClock } from '../../server/infra/clock.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';
import { waitFor } from '../helpers/live.ts';
import { ownerOf, publicBooking } from '../helpers/public-booking.ts';

// Thursday 3 December 2026, 10:00 in Paris: the earliest online rdv is Tuesday 8 December.
const clock = fixedClock(new Date('2026-12-03T10:00:00+01:00'));
let server: TestServer;
let svc: ServiceFixture;
// A service the agent below is not habilitated on: joining its room is refused.
let otherService: ServiceFixture;
const { hold, release, book } = publicBooking(() => server);

beforeAll(async () => {
  server = await startTestServer({ clock });
  svc = await createService(server.deps.sql, { code: '9910006' });
  otherService = await createService(server.deps.sql, { code: '9910007' });
});
afterAll(() => server.close());

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
    await server.guichet.sweepHolds(); // whatever expired before (other suites share the database) goes first
    await hold(svc, start);
    const freed = waitFor(socket, 'slot-freed', (e: { start: string }) => e.start === start);
    expect(await server.guichet.sweepHolds()).toBe(0);
    clock.advance(10 * 60_000 + 1);
    expect(await server.guichet.sweepHolds()).toBeGreaterThanOrEqual(1);
    await freed;
    expect(await server.guichet.sweepHolds()).toBe(0);
  });

  it('refuses /agent without a session, and scopes rooms to the zone de compétence', async () => {
    // A connection of its own (not the public socket's, whose handshake carried no Origin).
    const anonymous = connect(`${server.url}/agent`, {
      transports: ['websocket'],
      extraHeaders: { origin: server.url },
      forceNew: true,
      reconnection: false,
    });
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
      extraHeaders: { origin: server.url, cookie: `guichet_session=${token}` },
      forceNew: true,
    });
    try {
      expect(await agentSocket.emitWithAck('join', { serviceCode: svc.code })).toEqual({ ok: true });
      expect((await agentSocket.emitWithAck('join', { serviceCode: otherService.code })).ok).toBe(false);
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
