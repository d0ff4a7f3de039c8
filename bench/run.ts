/*
 * npm run bench — what the product costs, each figure beside a baseline measured in the same run
 * on the same machine, so the ratio means something whatever the machine. Never fails on a time.
 *
 * Uses DATABASE_URL's server (a fresh database, dropped at the end) or an embedded PostgreSQL,
 * and REDIS_URL when set (holds and events in Redis, as in production).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { boot } from '../server/boot.ts';
import { loadConfig } from '../server/infra/config.ts';
import { connect, withDatabase } from '../server/infra/db.ts';
import { type EmbeddedDb, startEmbeddedPostgres } from '../server/infra/embedded-db.ts';
import { createLogger } from '../server/infra/logger.ts';
import { createService } from '../tests/helpers/fixtures.ts';
import { runAgendaBench } from './agenda.ts';
import { runCsvBench } from './csv.ts';
import { runDomainSlotsBench } from './domain-slots.ts';
import { CONNECTIONS, inTurns, load, unexpected } from './load.ts';
import { runStatsBench } from './stats.ts';

type Row = { what: string; value: string; baseline: string; ratio: string };
const rows: Row[] = [];
const fmt = (n: number, digits = 1) => n.toFixed(digits);
// BENCH_ONLY=slots,booking runs those parts only (e.g. under --cpu-prof).
const only = process.env.BENCH_ONLY?.split(',');
const part = (name: string) => !only || only.includes(name);
const appendix: string[] = [];

/** One part of the bench; a failure is a line of the table, never a failed run. */
async function guarded(name: string, run: () => Promise<void>): Promise<void> {
  if (name === 'booking' ? !part('booking') && !part('contention') : !part(name)) return;
  try {
    await run();
  } catch (err) {
    rows.push({
      what: `${name}: not measured — ${(err as Error).message}`,
      value: '—',
      baseline: '—',
      ratio: '—',
    });
  }
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

async function main(): Promise<void> {
  const log = createLogger('warn');
  let embedded: EmbeddedDb | undefined;
  let tempDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL ? withDatabase(process.env.DATABASE_URL, 'postgres') : '';
  if (!adminUrl) {
    tempDir = await mkdtemp(path.join(tmpdir(), 'guichet-bench-'));
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(tempDir, 'pg'),
      port: 55_432,
      database: 'postgres',
      log,
      persistent: false,
    });
    adminUrl = embedded.url;
  }
  const dbName = `guichet_bench_${Date.now().toString(36)}`;
  const admin = connect(adminUrl, { max: 1 });
  await admin.unsafe(`create database ${dbName}`);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: withDatabase(adminUrl, dbName),
    DEMO: 'true',
    LOG_LEVEL: 'warn',
    DATABASE_POOL_MAX: '20',
    CAPTCHA_REQUIRED: 'false',
    RATE_LIMIT_SEARCH_PER_MINUTE: '10000000',
    RATE_LIMIT_SLOTS_PER_MINUTE: '10000000',
    RATE_LIMIT_HOLDS_PER_MINUTE: '10000000',
    RATE_LIMIT_BOOKINGS_PER_HOUR: '10000000',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
  });
  const guichet = await boot(config, log, { sweep: false });
  const { sql } = guichet.deps;

  // The same HTTP stack for the product and its baselines: node:http + @hono/node-server, in this
  // process; the load comes from another one (bench/load-generator.ts).
  await sql`create table bench_rows (id bigserial primary key, payload text not null, at timestamptz not null default now())`;
  let inserted = 0;
  const trivial = new Hono()
    .get('/ping', (c) => c.json({ ok: true }))
    // The bare write: one row in its own transaction, through the product's driver and pool.
    .post('/insert', async (c) => {
      const { payload } = await c.req.json<{ payload: string }>();
      await sql.begin((tx) => tx`insert into bench_rows (payload) values (${`${payload} ${inserted++}`})`);
      return c.json({ ok: true }, 201);
    });
  const serve = async (fetch: (r: Request) => Response | Promise<Response>) => {
    const server = createServer(getRequestListener(fetch));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };
  const product = await serve(guichet.api.fetch);
  // Live events too: the agents' bench listens on /agent.
  guichet.realtime.attach(product.server);
  const baseline = await serve(trivial.fetch);
  const today = new Date();
  const day = (d: number) => new Date(today.getTime() + d * 86_400_000).toISOString().slice(0, 10);
  const ping = (amount: number) =>
    load({ kind: 'get', url: `${baseline.url}/ping`, amount, connections: CONNECTIONS });

  try {
    // 1. Slots for 30 days on the Nevers demo service vs a trivial Hono route.
    await guarded('slots', async () => {
      const card = await (await fetch(`${product.url}/api/v1/services/5800450`)).json();
      const motif = card.motifs[0].children[0]?.id ?? card.motifs[0].id;
      const slotsUrl = `${product.url}/api/v1/services/5800450/slots?motif=${motif}&type=physique&from=${day(0)}&to=${day(30)}`;
      const check = await (await fetch(slotsUrl)).json();
      const offered = check.days.reduce((n: number, d: { slots: unknown[] }) => n + d.slots.length, 0);
      const get = (amount: number) => load({ kind: 'get', url: slotsUrl, amount, connections: CONNECTIONS });
      await get(500); // warm-up
      await ping(500);
      const { product: slots, baseline: pong } = await inTurns(
        5,
        () => get(1500),
        () => ping(1500),
      );
      rows.push(
        {
          what: `slots, 30 days, SIP Nevers (${offered} free slots) — req/s${unexpected(slots, '200')}`,
          value: fmt(slots.perSecond, 0),
          baseline: fmt(pong.perSecond, 0),
          ratio: fmt(slots.perSecond / pong.perSecond, 2),
        },
        {
          what: 'slots, 30 days — p50 ms',
          value: fmt(slots.p50, 2),
          baseline: fmt(pong.p50, 2),
          ratio: fmt(slots.p50 / Math.max(1, pong.p50), 2),
        },
        {
          what: 'slots, 30 days — p99 ms',
          value: fmt(slots.p99, 2),
          baseline: fmt(pong.p99, 2),
          ratio: fmt(slots.p99 / Math.max(1, pong.p99), 2),
        },
      );
    });

    // 2. Booking throughput on distinct slots (hold + book) vs a bare single-row INSERT transaction
    // behind a route of the same stack, both loaded by the generator.
    await guarded('booking', async () => {
      const week: [number, string, string][] = [1, 2, 3, 4, 5].map((d) => [d, '08:00', '18:00']);
      const svc = await createService(sql, {
        code: '9990001',
        guichets: ['A', 'B', 'C', 'D', 'E', 'F'].map((name) => ({ name, plages: week })),
      });
      const starts: string[] = [];
      const offer = await (
        await fetch(
          `${product.url}/api/v1/services/${svc.code}/slots?motif=${svc.motifId}&type=physique&from=${day(0)}&to=${day(30)}`,
        )
      ).json();
      for (const d of offer.days) for (const s of d.slots) starts.push(s.start);
      // The last start is kept for the race.
      const raceStart = starts.pop()!;
      const count = Math.min(2000, starts.length * 6);
      const insert = (amount: number, connections: number) =>
        load({
          kind: 'post',
          url: `${baseline.url}/insert`,
          amount,
          connections,
          body: { payload: 'ligne' },
        });
      if (part('booking')) {
        // Warm-up on the first starts, then the measure on the others.
        const warm = 48; // 8 connections × 6 pairs
        await load({
          kind: 'booking',
          origin: product.url,
          serviceCode: svc.code,
          motifId: svc.motifId,
          starts: starts.slice(0, warm / 6),
          perStart: 6,
          count: warm,
          connections: 8,
        });
        // In turns with the bare insert, each round on starts of its own.
        const rounds = 5;
        // Each connection runs hold, book, hold, book…: a whole number of pairs per connection,
        // and six bookings (one per guichet) per start.
        const step = (6 * CONNECTIONS) / gcd(6, CONNECTIONS);
        const per = Math.max(step, Math.floor((count - warm) / rounds / step) * step);
        await insert(200, CONNECTIONS);
        const { product: booking, baseline: bare } = await inTurns(
          rounds,
          (r) =>
            load({
              kind: 'booking',
              origin: product.url,
              serviceCode: svc.code,
              motifId: svc.motifId,
              starts: starts.slice(warm / 6 + (r * per) / 6, warm / 6 + ((r + 1) * per) / 6),
              perStart: 6,
              count: per,
              connections: CONNECTIONS,
            }),
          () => insert(per, CONNECTIONS),
        );
        rows.push({
          what: `bookings/s on distinct slots (hold + book, ${rounds} × ${per})${unexpected(booking, '201')}`,
          value: fmt(booking.perSecond, 0),
          baseline: fmt(bare.perSecond, 0),
          ratio: fmt(booking.perSecond / bare.perSecond, 2),
        });
      }

      // 3. 200 concurrent racers on one slot: time until every one has its answer (1 × 201, 199 × 409).
      if (part('contention')) {
        const held = await fetch(`${product.url}/api/v1/holds`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            serviceCode: svc.code,
            motifId: svc.motifId,
            type: 'physique',
            start: raceStart,
          }),
        });
        // The racers are the browser that placed the hold (its owner cookie), as a double click.
        const cookie = held.headers.get('set-cookie')?.split(';')[0] ?? '';
        const hold = await held.json();
        const race = await load({
          kind: 'race',
          origin: product.url,
          holdId: hold.holdId,
          cookie,
          count: 200,
        });
        const bare = await load({
          kind: 'burst',
          url: `${baseline.url}/insert`,
          body: { payload: 'course' },
          count: 200,
        });
        const won = race.statuses['201'] ?? 0;
        const lost = race.statuses['409'] ?? 0;
        rows.push({
          what: `200 racers on one slot, all answered — ms (${won}×201, ${lost}×409)${unexpected(race, '201', '409')}`,
          value: fmt(race.ms, 0),
          baseline: fmt(bare.ms, 0),
          ratio: fmt(race.ms / bare.ms, 2),
        });
      }
    });

    // 4. The agents' side: the agenda of a busy day, and commit → another agent's event.
    await guarded('agenda', async () => {
      rows.push(...(await runAgendaBench(guichet, { product: product.url, baseline: baseline.url }, load)));
    });

    // 5. The CSV export: 10,000 rdvs, and the heap while 100,000 stream.
    await guarded('csv', async () => {
      rows.push(...(await runCsvBench(guichet, product.url)));
    });

    // 6. Statistics: a year of 50,000 rdvs, and 20 services consolidated.
    await guarded('stats', async () => {
      const stats = await runStatsBench(guichet, product.url, baseline.url);
      rows.push(...stats.rows);
      appendix.push(`Plan of the statistics' scan over 20 services (EXPLAIN ANALYZE):\n${stats.plan}`);
    });

    // 7. The pure domain: 60 days × 6 guichets (target < 5 ms) vs walking the raw slot grid.
    await guarded('domain', async () => {
      for (const r of await runDomainSlotsBench()) {
        rows.push({
          what: `domain: ${r.name} — ms`,
          value: fmt(r.value, 3),
          baseline: fmt(r.baseline, 3),
          ratio: fmt(r.ratio, 2),
        });
      }
    });
  } finally {
    product.server.closeAllConnections();
    baseline.server.closeAllConnections();
    product.server.close();
    baseline.server.close();
    await guichet.close();
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    await embedded?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }

  const width = Math.max(...rows.map((r) => r.what.length));
  const line = (a: string, b: string, c: string, d: string) =>
    `| ${a.padEnd(width)} | ${b.padStart(10)} | ${c.padStart(10)} | ${d.padStart(6)} |`;
  console.info(
    `\nGuichet benchmark — ${new Date().toISOString()} — Node ${process.version}, ${process.env.REDIS_URL ? 'Redis' : 'memory'} holds\n`,
  );
  console.info(line('measure', 'value', 'baseline', 'ratio'));
  console.info(`|${'-'.repeat(width + 2)}|${'-'.repeat(12)}|${'-'.repeat(12)}|${'-'.repeat(8)}|`);
  for (const r of rows) console.info(line(r.what, r.value, r.baseline, r.ratio));
  console.info(
    [
      '',
      `Load: autocannon in a child process (bench/load-generator.ts), ${CONNECTIONS} connections; the product and its baseline in turns, 5 rounds, medians.`,
      'Baselines, measured the same way in this run: a trivial Hono route on the same HTTP stack (node:http + @hono/node-server, this process);',
      'a bare one-row INSERT transaction through the same driver and pool, behind a route of that stack; 200 such requests at once (the race);',
      'a bare HTTP handler that only broadcasts (events); a bare cursor read (CSV); a bare count (statistics); the raw slot grid walk (domain).',
      ...appendix.map((a) => `\n${a}`),
    ].join('\n'),
  );
}

// Never a failed run: the bench informs, CI does not gate on it.
await main().catch((err: unknown) => console.error('banc d’essai interrompu :', err));
process.exit(0);
