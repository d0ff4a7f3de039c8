/*
 * The agents' side of `npm run bench`: the agenda API on a busy day, and the delay from an rdv's
 * commit to the event on another agent's open agenda, each beside a same-run baseline.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { sessionIdOf } from '../server/app/auth.ts';
import type { Guichet } from '../server/boot.ts';
import { generateRdvCode } from '../server/domain/rdv-code.ts';
import { createService, usager } from '../tests/helpers/fixtures.ts';
import { CONNECTIONS, inTurns, type Load, unexpected } from './load.ts';

export type BenchRow = { what: string; value: string; baseline: string; ratio: string };

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Resolves with the time (performance.now) of the next event `name`. */
const heardAt = (socket: Socket, name: string) =>
  new Promise<number>((resolve) => socket.once(name, () => resolve(performance.now())));

export async function runAgendaBench(
  guichet: Guichet,
  urls: { product: string; baseline: string },
  load: Load,
): Promise<BenchRow[]> {
  const { sql } = guichet.deps;
  const rows: BenchRow[] = [];
  // A busy day: 6 guichets, 25 rdvs each (150), next Monday 08:00–18:00.
  const week: [number, string, string][] = [1, 2, 3, 4, 5].map((d) => [d, '08:00', '18:00']);
  const svc = await createService(sql, {
    code: '9990002',
    guichets: ['A', 'B', 'C', 'D', 'E', 'F'].map((name) => ({ name, plages: week })),
  });
  const today = new Date();
  const monday = new Date(today.getTime() + (((8 - today.getDay()) % 7) + 7) * 86_400_000);
  const day = monday.toISOString().slice(0, 10);
  for (const guichetId of svc.guichetIds) {
    for (let k = 0; k < 25; k++) {
      const start = new Date(`${day}T08:00:00+01:00`).getTime() + k * 20 * 60_000;
      const u = usager(guichetId * 100 + k);
      const [row] = await sql<{ id: number }[]>`
        insert into usagers (type, civilite, nom_usage, prenoms, telephones, email)
        values ('particulier', ${u.civilite}, ${u.nomUsage}, ${u.prenoms}, ${['+33612345678']}::text[], ${u.email})
        returning id`;
      await sql`
        insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal)
        values (${generateRdvCode()}, ${svc.serviceId}, ${guichetId}, ${svc.motifId}, ${row!.id}, 'physique',
                tstzrange(${new Date(start)}, ${new Date(start + 20 * 60_000)}, '[)'), 'internet')`;
    }
  }
  const [agent] = await sql<{ id: number }[]>`
    insert into agents (login, display_name, password_hash) values (${`banc.${randomUUID()}`}, 'Banc', 'x') returning id`;
  await sql`insert into habilitations (agent_id, service_id, profile) values (${agent!.id}, ${svc.serviceId}, 'agent')`;
  const token = randomUUID();
  await sql`insert into sessions (id, agent_id, expires_at) values (${sessionIdOf(token)}, ${agent!.id}, ${new Date(Date.now() + 3_600_000)})`;
  const cookie = `guichet_session=${token}`;

  // 1. The agenda of that day vs the trivial route.
  const agendaUrl = `${urls.product}/api/v1/agent/services/${svc.code}/agenda?from=${day}&to=${day}`;
  const check = await (await fetch(agendaUrl, { headers: { cookie } })).json();
  const get = (url: string, amount: number) =>
    load({ kind: 'get', url, amount, connections: CONNECTIONS, cookie });
  await get(agendaUrl, 300);
  const { product: agenda, baseline: ping } = await inTurns(
    5,
    () => get(agendaUrl, 600),
    () => get(`${urls.baseline}/ping`, 1500),
  );
  rows.push(
    {
      what: `agenda, 6-guichet day with ${check.rdvs.length} rdvs — req/s${unexpected(agenda, '200')}`,
      value: fmt(agenda.perSecond, 0),
      baseline: fmt(ping.perSecond, 0),
      ratio: fmt(agenda.perSecond / ping.perSecond, 2),
    },
    {
      what: 'agenda, that day — p99 ms',
      value: fmt(agenda.p99, 2),
      baseline: fmt(ping.p99, 2),
      ratio: fmt(agenda.p99 / Math.max(1, ping.p99), 2),
    },
  );

  // 2. Commit → event on another agent's agenda: an agent books; another one's socket hears it.
  const url = new URL(urls.product);
  const other = connect(`${url.origin}/agent`, {
    transports: ['websocket'],
    extraHeaders: { cookie, origin: url.origin },
  });
  await other.emitWithAck('join', { serviceCode: svc.code });
  const delays: number[] = [];
  for (let k = 0; k < 60; k++) {
    // The days after the busy one, 30 slots a day on guichet A.
    const base = new Date(`${day}T08:00:00+01:00`).getTime() + (1 + Math.floor(k / 30)) * 86_400_000;
    const s = new Date(base + (k % 30) * 20 * 60_000);
    const heard = heardAt(other, 'rdv-created');
    const sent = performance.now();
    const res = await fetch(`${urls.product}/api/v1/agent/services/${svc.code}/rdvs`, {
      method: 'POST',
      headers: { cookie, origin: url.origin, 'content-type': 'application/json' },
      body: JSON.stringify({
        guichetId: svc.guichetIds[0],
        motifId: svc.motifId,
        type: 'physique',
        start: s.toISOString(),
        end: new Date(s.getTime() + 20 * 60_000).toISOString(),
        usager: usager(5000 + k, { numeroFiscal: undefined }),
        precisions: 'banc d’essai',
        // Summer time or a public holiday would put some slots outside the plages: confirmed.
        acknowledge: ['OUTSIDE_PLAGES'],
      }),
    });
    if (res.status !== 201) throw new Error(`réservation d’agent ${k} : ${res.status} ${await res.text()}`);
    if (k >= 10) delays.push((await heard) - sent);
  }
  other.close();

  // Baseline: the same stack without the product, an HTTP answer then a room broadcast.
  const http = createServer((_req, res) => {
    io.to('room').emit('evt', {});
    res.end('ok');
  });
  const io = new Server(http, { serveClient: false });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const rawUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  io.on('connection', (s) => void s.join('room'));
  const raw = connect(rawUrl, { transports: ['websocket'] });
  await new Promise<void>((r) => raw.once('connect', () => r()));
  const rawDelays: number[] = [];
  for (let k = 0; k < 60; k++) {
    const heard = heardAt(raw, 'evt');
    const sent = performance.now();
    await (await fetch(rawUrl)).text();
    if (k >= 10) rawDelays.push((await heard) - sent);
  }
  raw.close();
  io.close();
  delays.sort((a, b) => a - b);
  rawDelays.sort((a, b) => a - b);
  // From the request to the event on the other socket: the booking's own work (checks, commit)
  // plus the fan-out, beside a bare HTTP handler that only broadcasts. The event is published
  // right after commit, before the 201 leaves.
  rows.push(
    {
      what: 'agent books → another agent’s agenda hears it — p50 ms',
      value: fmt(pct(delays, 50), 2),
      baseline: fmt(pct(rawDelays, 50), 2),
      ratio: fmt(pct(delays, 50) / Math.max(0.01, pct(rawDelays, 50)), 2),
    },
    {
      what: 'agent books → another agent’s agenda hears it — p99 ms',
      value: fmt(pct(delays, 99), 2),
      baseline: fmt(pct(rawDelays, 99), 2),
      ratio: fmt(pct(delays, 99) / Math.max(0.01, pct(rawDelays, 99)), 2),
    },
  );
  return rows;
}
